import "server-only";
import type { AuditAction } from "@/lib/audit/actions";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";

/**
 * The audit log's one writer. Entries are append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE on
 * "AuditEvent"), carry who, what and when (UTC), and never a secret: `details` says what changed in words a person
 * reads ("role: member → admin", "key ending 4f2a"), nothing more. Write inside the transaction of the change when
 * there is one, so a change and its entry commit together.
 */

// The catalogue of actions lives in a module without server imports, so the audit page's filters can use it too.
export { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/actions";

export type AuditEntry = {
  action: AuditAction;
  workspaceId: string | null;
  actorId: string | null;
  actorEmail?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, string | number | boolean | null>;
  ipAddress?: string | null;
};

type Writer = Pick<Prisma.TransactionClient, "auditEvent">;

export async function recordAudit(entry: AuditEntry, writer: Writer = db): Promise<void> {
  await writer.auditEvent.create({
    data: {
      action: entry.action,
      workspaceId: entry.workspaceId,
      actorId: entry.actorId,
      actorEmail: entry.actorEmail ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? undefined,
      ipAddress: entry.ipAddress ?? null,
    },
  });
}

/** For events that must not fail the user's request (sign-in records): logged and swallowed on error. */
export async function recordAuditQuietly(entry: AuditEntry): Promise<void> {
  try {
    await recordAudit(entry);
  } catch (error) {
    logger.error("audit: could not record", { action: entry.action, error });
  }
}
