import "server-only";
import type { AuditAction } from "@/lib/audit/actions";
import { requestIp } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { BULK_MAX } from "@/lib/gallery/view-params";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";

/**
 * The audit log's one writer. Entries are append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE on
 * "AuditEvent"), carry who (the user's id and their email at that moment), what (the action, its target and details),
 * where (the workspace and the request's network address) and when (UTC), and never a secret: `details` says what
 * changed in words a person reads ("role: member → admin", "key ending 4f2a"), nothing more. Write inside the
 * transaction of the change when there is one, so a change and its entry commit together.
 *
 * The actor's email and the address are filled in here when the caller leaves them out (undefined); pass null to
 * record none (an unknown email, a job outside any request).
 */

// The catalogue of actions lives in a module without server imports, so the audit page's filters can use it too.
export { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/actions";

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
