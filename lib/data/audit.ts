import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { actionsOf, auditLabel, isAccountAction } from "@/lib/audit/actions";
import { describeAuditEvent } from "@/lib/audit/describe";
import type { AuditActorDTO, AuditEventDTO, AuditPageDTO } from "@/lib/audit/types";
import { requirePermission, type Viewer } from "@/lib/authz";
import { utcTimestamp as utc } from "@/lib/gallery/query";
import { AUDIT_PAGE_SIZE, type AuditFilters } from "@/lib/validation/audit";
import { INT8_MAX, MAX_INSTANT_MS } from "@/lib/validation/primitives";

/**
 * Reading the audit log (admins and owners). A workspace's log is its own entries plus the account events (sign-ins,
 * `workspaceId` null) of the people who are members now; another workspace's entries and a non-member's sign-ins
 * never appear. Pages are keyset-paginated on (createdAt, id), newest first.
 *
 * The two halves are read separately and merged, so each is an ordered walk of its own index that stops after one
 * page: the workspace's entries on (workspaceId, createdAt), each member's account events on (actorId, createdAt).
 * Timestamps are `timestamp(3)` holding UTC and are compared as UTC literals, never through the session time zone.
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
