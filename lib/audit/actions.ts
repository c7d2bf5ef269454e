/**
 * The audit log's catalogue of actions, with the label people read, and the groups the filter offers. Kept free of
 * server imports so the audit page's filter bar (a client component) and the filter schema can use it too; the
 * writer (lib/audit/log.ts) re-exports it.
 */

export const AUDIT_ACTIONS = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.rate_limited": "Sign-in limit reached",
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
  "generation.rate_limited": "Run limit reached",
  "workspace.renamed": "Workspace renamed",
  "workspace.deleted": "Workspace deleted",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_KEYS = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

/**
 * Filter groups, by the prefix of the action names, so an action added to the catalogue lands in its group without
 * a second list to keep in step. Account events (`auth.*`) are the only ones without a workspace.
 */
const GROUP_PREFIXES = {
  auth: { heading: "Sign-ins", label: "All sign-ins", prefixes: ["auth."] },
  members: { heading: "Members and invitations", label: "All member and invite changes", prefixes: ["member.", "invitation."] },
  connections: { heading: "Provider keys", label: "All provider key changes", prefixes: ["connection."] },
  deletions: { heading: "Deletions", label: "All deletions", prefixes: ["board.", "media.", "trash.", "asset."] },
  workspace: { heading: "Workspace", label: "All workspace changes", prefixes: ["workspace."] },
  fairUse: { heading: "Fair use", label: "All fair-use limits reached", prefixes: ["generation."] },
} as const;

export type AuditGroup = keyof typeof GROUP_PREFIXES;

export const AUDIT_GROUP_KEYS = Object.keys(GROUP_PREFIXES) as [AuditGroup, ...AuditGroup[]];

export const AUDIT_GROUPS: Record<AuditGroup, { heading: string; label: string; actions: AuditAction[] }> = Object.fromEntries(
  AUDIT_GROUP_KEYS.map((group) => [
    group,
    {
      heading: GROUP_PREFIXES[group].heading,
      label: GROUP_PREFIXES[group].label,
      actions: AUDIT_ACTION_KEYS.filter((action) => GROUP_PREFIXES[group].prefixes.some((prefix) => action.startsWith(prefix))),
    },
  ]),
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
