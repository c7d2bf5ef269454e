import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";

/**
 * The audit log's one writer. Entries are append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE on
 * "AuditEvent"), carry who, what and when (UTC), and never a secret: `details` says what changed in words a person
 * reads ("role: member → admin", "key ending 4f2a"), nothing more. Write inside the transaction of the change when
 * there is one, so a change and its entry commit together.
 */

export const AUDIT_ACTIONS = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "connection.key_set": "Provider key set",
  "connection.key_removed": "Provider key removed",
  "connection.mode_changed": "Provider connection changed",
  "connection.keys_rotated": "Master key rotated",
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "member.budget_changed": "Budget changed",
  "invitation.created": "Invite link created",
  "invitation.revoked": "Invite link revoked",
  "board.deleted": "Board deleted",
  "media.trashed": "Moved to trash",
  "trash.emptied": "Trash emptied",
  "asset.deleted": "Asset deleted",
  "workspace.renamed": "Workspace renamed",
  "workspace.deleted": "Workspace deleted",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

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
