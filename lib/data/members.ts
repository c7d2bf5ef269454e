import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { assignableRoles, canManageMember, roleLabel } from "@/lib/authz";
import { requirePermission, type Viewer } from "@/lib/authz";
import { auditActor } from "@/lib/data/audit";
import { reportForeignIds } from "@/lib/data/denials";
import { recordAudit } from "@/lib/data/audit";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";

export type MemberDTO = {
  membershipId: string;
  name: string | null;
  email: string;
  role: Role;
  joinedAt: Date;
  isYou: boolean;
};

export async function listMembers(viewer: Viewer): Promise<MemberDTO[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.membership.findMany({
    where: { workspaceId: viewer.workspaceId },
    orderBy: [{ createdAt: "asc" }],
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  const order: Record<Role, number> = { OWNER: 0, ADMIN: 1, MEMBER: 2, VIEWER: 3 };
  return rows
    .map((r) => ({
      membershipId: r.id,
      name: r.user.name,
      email: r.user.email,
      role: r.role,
      joinedAt: r.createdAt,
      isYou: r.user.id === viewer.userId,
    }))
    .sort((a, b) => order[a.role] - order[b.role] || a.joinedAt.getTime() - b.joinedAt.getTime());
}

type Tx = Prisma.TransactionClient;

/**
 * Role changes and removals run in a transaction that first locks the workspace row, so two owners demoting each
 * other at the same moment cannot leave the workspace without one.
 */
async function lockWorkspace(tx: Tx, workspaceId: string) {
  await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
}

async function findTarget(tx: Tx, viewer: Viewer, membershipId: string, what: string) {
  const target = await tx.membership.findFirst({
    where: { id: membershipId, workspaceId: viewer.workspaceId },
    select: { id: true, role: true, userId: true, user: { select: { email: true } } },
  });
  if (!target) {
    reportForeignIds(viewer, "membership", [membershipId], what);
    throw new NotFoundError("That member");
  }
  return target;
}

async function assertNotLastOwner(tx: Tx, workspaceId: string, what: string) {
  const owners = await tx.membership.count({ where: { workspaceId, role: "OWNER" } });
  if (owners <= 1) throw new UserError(`The last owner can't be ${what}. Make someone else an owner first.`, "conflict");
}

export async function changeMemberRole(viewer: Viewer, membershipId: string, role: Role) {
  requirePermission(viewer, "members:manage");
  return db.$transaction(async (tx) => {
    await lockWorkspace(tx, viewer.workspaceId);
    const target = await findTarget(tx, viewer, membershipId, "changeMemberRole");
    if (!canManageMember(viewer.role, target.role) || !assignableRoles(viewer.role).includes(role)) {
      throw new ForbiddenError(`Only an owner can change an owner's role or make someone an owner.`);
    }
    if (target.role === role) return { role };
    if (target.role === "OWNER") await assertNotLastOwner(tx, viewer.workspaceId, "demoted");
    await tx.membership.update({ where: { id: target.id }, data: { role } });
    await recordAudit(
      {
        action: "member.role_changed",
        workspaceId: viewer.workspaceId,
        ...(await auditActor(viewer.userId, tx)),
        targetType: "user",
        targetId: target.userId,
        details: { email: target.user.email, from: target.role, to: role },
      },
      tx,
    );
    return { role, label: roleLabel[role] };
  });
}

export async function removeMember(viewer: Viewer, membershipId: string) {
  return db.$transaction(async (tx) => {
    await lockWorkspace(tx, viewer.workspaceId);
    const target = await findTarget(tx, viewer, membershipId, "removeMember");
    const self = target.userId === viewer.userId;
    if (!self) {
      requirePermission(viewer, "members:manage");
      if (!canManageMember(viewer.role, target.role)) throw new ForbiddenError("Only an owner can remove an owner.");
    }
    if (target.role === "OWNER") await assertNotLastOwner(tx, viewer.workspaceId, self ? "the one to leave" : "removed");
    await tx.membership.delete({ where: { id: target.id } });
    await recordAudit(
      {
        action: self ? "member.left" : "member.removed",
        workspaceId: viewer.workspaceId,
        ...(await auditActor(viewer.userId, tx)),
        targetType: "user",
        targetId: target.userId,
        details: { email: target.user.email, role: target.role },
      },
      tx,
    );
    return { self };
  });
}

export async function leaveWorkspace(viewer: Viewer) {
  if (viewer.personal && viewer.role === "OWNER") {
    throw new UserError("You can't leave your personal workspace.", "conflict");
  }
  const membership = await db.membership.findFirst({
    where: { workspaceId: viewer.workspaceId, userId: viewer.userId },
    select: { id: true },
  });
  if (!membership) throw new NotFoundError("Your membership");
  return removeMember(viewer, membership.id);
}
