import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AuditActorDTO, AuditEventDTO, AuditPageDTO } from "@/lib/audit/types";
import { requirePermission, type Viewer } from "@/lib/authz";
import { describeAuditEvent } from "@/lib/data/audit-describe";
import { sqlInstant as utc } from "@/lib/data/instant";
import { BULK_MAX } from "@/lib/gallery/view-params";
import { requestIp } from "@/lib/http/request-ip";
import { logger } from "@/lib/logger";
import { actionsOf, auditLabel, isAccountAction, type AuditAction } from "@/lib/validation/audit-actions";
import { AUDIT_PAGE_SIZE, type AuditFilters } from "@/lib/validation/audit";
import { INT8_MAX, MAX_INSTANT_MS } from "@/lib/validation/primitives";

/**
 * The audit log's one writer. Entries are append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE on
 * "AuditEvent"), carry who (the user's id and their email at that moment), what (the action, its target and details),
 * where (the workspace and the request's network address) and when, and never a secret: `details` says what
 * changed in words a person reads ("role: member → admin", "key ending 4f2a"), nothing more. Write inside the
 * transaction of the change when there is one, so a change and its entry commit together; that is why the writer
 * lives in the data layer, where the other writes of those transactions are.
 *
 * The actor's email and the address are filled in here when the caller leaves them out (undefined); pass null to
 * record none (an unknown email, a job outside any request).
 */

/** The most ids one entry lists (a bulk action's items): the gallery's bulk limit. */
export const AUDIT_IDS_MAX = BULK_MAX;

export type AuditDetailValue = string | number | boolean | null | string[];

export type AuditEntry = {
  action: AuditAction;
  workspaceId: string | null;
  actorId: string | null;
  actorEmail?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, AuditDetailValue>;
  ipAddress?: string | null;
};

type Writer = Pick<Prisma.TransactionClient, "auditEvent" | "user">;

/** Ids for an entry's details: at most AUDIT_IDS_MAX of them (the count says how many there were). */
export function auditIds(ids: readonly string[]): string[] {
  return ids.slice(0, AUDIT_IDS_MAX);
}

/** A bulk action's target: the one item when there is one, and always the count and the ids. */
export function bulkTarget(targetType: string, ids: readonly string[]) {
  return { targetType, targetId: ids.length === 1 ? ids[0]! : null, details: { items: ids.length, ids: auditIds(ids) } };
}

export async function recordAudit(entry: AuditEntry, writer: Writer = db): Promise<void> {
  const [actorEmail, ipAddress] = await Promise.all([
    entry.actorEmail !== undefined || !entry.actorId
      ? (entry.actorEmail ?? null)
      : writer.user.findUnique({ where: { id: entry.actorId }, select: { email: true } }).then((user) => user?.email ?? null),
    entry.ipAddress !== undefined ? entry.ipAddress : requestIp(),
  ]);
  await writer.auditEvent.create({
    data: {
      action: entry.action,
      workspaceId: entry.workspaceId,
      actorId: entry.actorId,
      actorEmail,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? undefined,
      ipAddress,
    },
  });
}

/**
 * For entries that must not fail the user's request (sign-ins, refusals) or that follow a change already made
 * outside the database (a character at the provider): logged and swallowed on error.
 */
export async function recordAuditQuietly(entry: AuditEntry): Promise<void> {
  try {
    await recordAudit(entry);
  } catch (error) {
    logger.error("audit: could not record", { action: entry.action, workspaceId: entry.workspaceId, actorId: entry.actorId, error });
  }
}

/**
 * Who an entry is by: the user's id, their email at that moment (the account may change later) and the address.
 * Read before a transaction (the default client) when that transaction should hold its connection for less time.
 */
export async function auditActor(userId: string, client: Pick<Prisma.TransactionClient, "user"> = db) {
  const [user, ipAddress] = await Promise.all([client.user.findUnique({ where: { id: userId }, select: { email: true } }), requestIp()]);
  return { actorId: userId, actorEmail: user?.email ?? null, ipAddress };
}

/**
 * Whether this user signed in successfully from this address since `since` (the sign-in limits trust such an
 * address). Asked for unknown emails too, with a null user (an id that matches nothing), so both cost the same query.
 */
export async function signedInFromSince(userId: string | null, address: string, since: Date): Promise<boolean> {
  const row = await db.auditEvent.findFirst({
    where: { actorId: userId ?? "-", action: "auth.sign_in", ipAddress: address, createdAt: { gt: since } },
    select: { id: true },
  });
  return row !== null;
}

/**
 * Reading the audit log (admins and owners). A workspace's log is its own entries plus the account events (sign-ins,
 * `workspaceId` null) of the people who are members now; another workspace's entries and a non-member's sign-ins
 * never appear. Pages are keyset-paginated on (createdAt, id), newest first.
 *
 * The two halves are read separately and merged, so each is an ordered walk of its own index that stops after one
 * page: the workspace's entries on (workspaceId, createdAt), each member's account events on (actorId, createdAt).
 * Instants are passed with their offset (lib/data/instant.ts), so no comparison depends on the session's time zone.
 */

type Cursor = { at: Date; id: bigint };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at.getTime()}.${cursor.id}`).toString("base64url");
}

/**
 * null for anything this module could not have written: not `<ms>.<id>`, an instant past 9999, or an id beyond
 * PostgreSQL's bigint. Such a cursor (tampered, or made by hand) reads as "from the start", like the gallery's.
 */
export function decodeAuditCursor(value: string | null | undefined): Cursor | null {
  if (!value || value.length > 100) return null;
  const match = /^(\d{1,15})\.(\d{1,19})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match) return null;
  const ms = Number(match[1]);
  const id = BigInt(match[2]!);
  return ms <= MAX_INSTANT_MS && id <= INT8_MAX ? { at: new Date(ms), id } : null;
}

function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function dayAfter(day: string): Date {
  const date = dayStart(day);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

type Row = {
  id: bigint;
  workspaceId: string | null;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  details: unknown;
  ipAddress: string | null;
  createdAt: Date;
  actorName: string | null;
  actorCurrentEmail: string | null;
};

const COLUMNS = Prisma.sql`e."id", e."workspaceId", e."actorId", e."actorEmail", e."action", e."details", e."ipAddress", e."createdAt"`;

/** Conditions every half shares: the action, the actor, the days and the cursor. */
function conditions(filters: AuditFilters, cursor: Cursor | null): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filters.action) where.push(Prisma.sql`e."action" IN (${Prisma.join(actionsOf(filters.action))})`);
  if (filters.member) where.push(Prisma.sql`e."actorId" = ${filters.member}`);
  if (filters.from) where.push(Prisma.sql`e."createdAt" >= ${utc(dayStart(filters.from))}`);
  if (filters.to) where.push(Prisma.sql`e."createdAt" < ${utc(dayAfter(filters.to))}`);
  if (cursor) {
    // The plain bound lets the index range start at the cursor; the row comparison breaks ties in the same ms.
    where.push(Prisma.sql`e."createdAt" <= ${utc(cursor.at)}`);
    where.push(Prisma.sql`(e."createdAt", e."id") < (${utc(cursor.at)}, ${cursor.id.toString()}::bigint)`);
  }
  return where;
}

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql` AND ${Prisma.join(parts, " AND ")}` : Prisma.empty);

export function auditPageQuery(workspaceId: string, filters: AuditFilters, cursor: Cursor | null, limit: number): Prisma.Sql {
  const where = conditions(filters, cursor);
  const actions = filters.action ? actionsOf(filters.action) : null;
  const halves: Prisma.Sql[] = [];
  if (!actions || actions.some((action) => !isAccountAction(action))) {
    halves.push(Prisma.sql`(SELECT ${COLUMNS} FROM "AuditEvent" e
      WHERE e."workspaceId" = ${workspaceId}${and(where)}
      ORDER BY e."createdAt" DESC, e."id" DESC LIMIT ${limit})`);
  }
  if (!actions || actions.some(isAccountAction)) {
    halves.push(Prisma.sql`(SELECT a.* FROM "Membership" m CROSS JOIN LATERAL (
        SELECT ${COLUMNS} FROM "AuditEvent" e
        WHERE e."actorId" = m."userId" AND e."workspaceId" IS NULL${and(where)}
        ORDER BY e."createdAt" DESC, e."id" DESC LIMIT ${limit}
      ) a
      WHERE m."workspaceId" = ${workspaceId}${filters.member ? Prisma.sql` AND m."userId" = ${filters.member}` : Prisma.empty})`);
  }
  return Prisma.sql`WITH page AS (${Prisma.join(halves, " UNION ALL ")})
    SELECT p.*, u."name" AS "actorName", u."email" AS "actorCurrentEmail"
    FROM page p LEFT JOIN "User" u ON u."id" = p."actorId"
    ORDER BY p."createdAt" DESC, p."id" DESC
    LIMIT ${limit}`;
}

function toDTO(row: Row, viewer: Viewer): AuditEventDTO {
  return {
    id: row.id.toString(),
    at: row.createdAt.toISOString(),
    action: row.action,
    label: auditLabel(row.action),
    actor: {
      id: row.actorId,
      name: row.actorName,
      email: row.actorEmail ?? row.actorCurrentEmail,
      isYou: row.actorId !== null && row.actorId === viewer.userId,
    },
    summary: describeAuditEvent(row.action, row.details),
    ipAddress: row.ipAddress,
    account: row.workspaceId === null,
  };
}

export async function listAuditEvents(viewer: Viewer, filters: AuditFilters, cursor: string | null = null, limit = AUDIT_PAGE_SIZE): Promise<AuditPageDTO> {
  requirePermission(viewer, "audit:read");
  const size = Math.max(1, Math.min(100, Math.floor(limit) || AUDIT_PAGE_SIZE));
  const rows = await db.$queryRaw<Row[]>(auditPageQuery(viewer.workspaceId, filters, decodeAuditCursor(cursor), size + 1));
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    events: page.map((row) => toDTO(row, viewer)),
    nextCursor: rows.length > size && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}

/** The people the log can be filtered by: the workspace's current members. */
export async function listAuditActors(viewer: Viewer): Promise<AuditActorDTO[]> {
  requirePermission(viewer, "audit:read");
  const rows = await db.membership.findMany({
    where: { workspaceId: viewer.workspaceId },
    orderBy: { createdAt: "asc" },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  return rows.map(({ user }) => ({ id: user.id, name: user.name ?? user.email, email: user.email }));
}
