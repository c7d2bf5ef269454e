import type { Role } from "@/lib/generated/prisma/enums";
import { ForbiddenError } from "@/lib/result";

/**
 * The authorization module: the single table of what each workspace role may do. Server actions (through the
 * action wrapper) and data reads (through requirePermission) both ask it; pages only use it to hide controls.
 */
export const ROLES = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const satisfies readonly Role[];

const rank: Record<Role, number> = { VIEWER: 0, MEMBER: 1, ADMIN: 2, OWNER: 3 };

const minimumRole = {
  "workspace:read": "VIEWER",
  "media:download": "VIEWER",
  "generation:create": "MEMBER",
  "board:create": "MEMBER",
  "board:edit": "MEMBER",
  /** Favourite, file in a board, move to the trash, restore. */
  "media:organize": "MEMBER",
  /** Delete an uploaded file from the workspace's asset library (runs that used it keep their results). */
  "asset:delete": "MEMBER",
  /** Create and edit the characters of the workspace's provider account. */
  "character:manage": "MEMBER",
  /** Save a tool's settings as a preset, personal or shared with the workspace; change or delete one's own. */
  "preset:create": "MEMBER",
  /** Rename, update or delete a shared preset someone else saved (lib/data/presets.ts). */
  "preset:manage_shared": "ADMIN",
  /** Cancel anyone's unfinished run (a member cancels only their own: lib/generations/cancel.ts). */
  "generation:cancel_any": "ADMIN",
  /** Empty the trash: files and the provider's copies are gone for good. */
  "trash:empty": "ADMIN",
  "workspace:update": "ADMIN",
  "members:manage": "ADMIN",
  "invitations:manage": "ADMIN",
  "connections:manage": "ADMIN",
  "audit:read": "ADMIN",
  /** Settings → Jobs: the workspace's background jobs (queued, running, retrying) and the dead-job archive. */
  "jobs:read": "ADMIN",
  "workspace:delete": "OWNER",
  "budgets:manage": "OWNER",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof minimumRole;

export function can(role: Role, permission: Permission): boolean {
  return rank[role] >= rank[minimumRole[permission]];
}

export function atLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

/** Roles an actor may hand out or take away: only owners touch the owner role. */
export function assignableRoles(actor: Role): Role[] {
  if (actor === "OWNER") return ["OWNER", "ADMIN", "MEMBER", "VIEWER"];
  if (actor === "ADMIN") return ["ADMIN", "MEMBER", "VIEWER"];
  return [];
}

/** May `actor` change or remove a member who currently holds `target`? */
export function canManageMember(actor: Role, target: Role): boolean {
  if (!can(actor, "members:manage")) return false;
  return actor === "OWNER" || target !== "OWNER";
}

export const roleLabel: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", VIEWER: "Viewer" };

export const roleDescription: Record<Role, string> = {
  OWNER: "Everything, including deleting the workspace and managing owners",
  ADMIN: "Manage members, invitations, settings and provider keys",
  MEMBER: "Generate, organise and delete media",
  VIEWER: "Browse and download; changes nothing",
};

/**
 * Where a member lands in a workspace: the tools when they may generate, the gallery otherwise (a viewer would find
 * only locked tool cards on the Generate page).
 */
export function workspaceHomePath(slug: string, role: Role): string {
  return `/w/${slug}/${can(role, "generation:create") ? "generate" : "gallery"}`;
}

/** The least role that holds the permission. */
export function minimumRoleOf(permission: Permission): Role {
  return minimumRole[permission];
}

export function roleMinimumLabel(permission: Permission): string {
  return roleLabel[minimumRole[permission]].toLowerCase();
}

/**
 * Who is looking at a workspace: the user, the workspace and the member's role. Every data read and every
 * workspace action starts from one of these.
 */
export type Viewer = {
  userId: string;
  workspaceId: string;
  workspaceSlug: string;
  workspaceName: string;
  personal: boolean;
  role: Role;
};

/** For data functions: throws unless the viewer's role grants the permission. */
export function requirePermission(viewer: Viewer, permission: Permission): void {
  if (!can(viewer.role, permission)) {
    throw new ForbiddenError(`Your role in ${viewer.workspaceName} (${viewer.role.toLowerCase()}) doesn't allow this.`);
  }
}
