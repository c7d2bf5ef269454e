/**
 * The audit log's catalogue of actions, with the label people read, and the groups the filter offers. A pure leaf
 * (it lives with the schemas in lib/validation, which import nothing of the server), so the audit page's filter bar (a
 * client component), the filter schema, the writer (lib/data/audit.ts) and the log's DTO builder can all use it.
 *
 * Every mutating server action writes one of these (lib/audit/trail.test.ts performs each action and expects its
 * row), and so do authorization refusals (`access.*`, written by lib/data/denials.ts).
 */

export const AUDIT_ACTIONS = {
  // Accounts (no workspace: shown in every workspace of the user)
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.signed_up": "Account created",
  "auth.signed_out": "Signed out",
  "auth.rate_limited": "Too many attempts",
  // Refusals
  "access.forbidden": "Refused: role too low",
  "access.not_member": "Refused: not a member",
  "access.foreign_id": "Refused: another workspace's item",
  "access.rate_limited": "Refused: rate limit",
  // Provider keys
  "connection.key_set": "Provider key set",
  "connection.key_removed": "Provider key removed",
  "connection.mode_changed": "Provider connection changed",
  "connection.keys_rotated": "Master key rotated",
  "connection.tested": "Connection tested",
  // Members and invitations
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "member.budget_changed": "Budget changed",
  "invitation.created": "Invite link created",
  "invitation.revoked": "Invite link revoked",
  "invitation.accepted": "Invite link used",
  // Generations
  "generation.submitted": "Run submitted",
  "generation.cancelled": "Run cancelled",
  "batch.started": "Batch started",
  "batch.paused": "Batch paused",
  "batch.resumed": "Batch resumed",
  "batch.cancelled": "Batch cancelled",
  "batch.finished": "Batch finished",
  // Gallery
  "media.trashed": "Moved to trash",
  "media.restored": "Restored from trash",
  "media.favorited": "Favourited",
  "media.unfavorited": "Unfavourited",
  "media.moved": "Moved to a board",
  // Boards, uploads and characters
  "board.created": "Board created",
  "board.renamed": "Board renamed",
  "asset.uploaded": "File uploaded",
  "character.created": "Character created",
  "character.edited": "Character edited",
  "preset.created": "Preset saved",
  "preset.renamed": "Preset renamed",
  "preset.updated": "Preset updated",
  // Deletions
  "board.deleted": "Board deleted",
  "asset.deleted": "Asset deleted",
  "preset.deleted": "Preset deleted",
  "trash.emptied": "Trash emptied",
  // Workspace
  "workspace.created": "Workspace created",
  // Fair use
  "generation.rate_limited": "Run limit reached",
  "workspace.renamed": "Workspace renamed",
  "workspace.deleted": "Workspace deleted",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_KEYS = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

/**
 * Filter groups, each with its actions named (a test checks that every action is in exactly one group). The keys
 * are in links people keep (`?action=deletions`), so they stay stable.
 */
const GROUP_DEFINITIONS = {
  auth: {
    heading: "Sign-ins and accounts",
    label: "All sign-ins and account events",
    actions: ["auth.sign_in", "auth.sign_in_failed", "auth.signed_up", "auth.signed_out"],
  },
  access: {
    heading: "Access denied",
    label: "All refusals",
    actions: ["access.forbidden", "access.not_member", "access.foreign_id", "access.rate_limited", "auth.rate_limited"],
  },
  members: {
    heading: "Members and invitations",
    label: "All member and invite changes",
    actions: ["member.role_changed", "member.removed", "member.left", "member.budget_changed", "invitation.created", "invitation.revoked", "invitation.accepted"],
  },
  connections: {
    heading: "Provider keys",
    label: "All provider key changes",
    actions: ["connection.key_set", "connection.key_removed", "connection.mode_changed", "connection.keys_rotated", "connection.tested"],
  },
  generations: {
    heading: "Generations",
    label: "All runs and batches submitted, paused and cancelled",
    actions: ["generation.submitted", "generation.cancelled", "batch.started", "batch.paused", "batch.resumed", "batch.cancelled", "batch.finished"],
  },
  gallery: {
    heading: "Gallery",
    label: "All gallery changes",
    actions: ["media.trashed", "media.restored", "media.favorited", "media.unfavorited", "media.moved"],
  },
  library: {
    heading: "Boards, uploads, characters and presets",
    label: "All board, upload, character and preset changes",
    actions: ["board.created", "board.renamed", "asset.uploaded", "character.created", "character.edited", "preset.created", "preset.renamed", "preset.updated"],
  },
  deletions: { heading: "Deletions", label: "All deletions", actions: ["board.deleted", "asset.deleted", "preset.deleted", "trash.emptied"] },
  workspace: { heading: "Workspace", label: "All workspace changes", actions: ["workspace.created", "workspace.renamed", "workspace.deleted"] },
  fairUse: { heading: "Fair use", label: "All fair-use limits reached", actions: ["generation.rate_limited"] },
} as const satisfies Record<string, { heading: string; label: string; actions: readonly AuditAction[] }>;

export type AuditGroup = keyof typeof GROUP_DEFINITIONS;

export const AUDIT_GROUP_KEYS = Object.keys(GROUP_DEFINITIONS) as [AuditGroup, ...AuditGroup[]];

export const AUDIT_GROUPS: Record<AuditGroup, { heading: string; label: string; actions: AuditAction[] }> = Object.fromEntries(
  AUDIT_GROUP_KEYS.map((group) => [group, { ...GROUP_DEFINITIONS[group], actions: [...GROUP_DEFINITIONS[group].actions] }]),
) as Record<AuditGroup, { heading: string; label: string; actions: AuditAction[] }>;

/** The actions an action-or-group filter value stands for. */
export function actionsOf(filter: AuditAction | AuditGroup): AuditAction[] {
  return filter in AUDIT_GROUPS ? AUDIT_GROUPS[filter as AuditGroup].actions : [filter as AuditAction];
}

/** Account events carry no workspace: they show in every workspace their user belongs to. */
export function isAccountAction(action: string): boolean {
  return action.startsWith("auth.");
}

/** The group an action belongs to (for its icon and colour), null for one outside the catalogue. */
export function groupOf(action: string): AuditGroup | null {
  return AUDIT_GROUP_KEYS.find((group) => (AUDIT_GROUPS[group].actions as string[]).includes(action)) ?? null;
}

export function auditLabel(action: string): string {
  return action in AUDIT_ACTIONS ? AUDIT_ACTIONS[action as AuditAction] : action;
}
