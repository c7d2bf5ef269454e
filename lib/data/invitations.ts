import "server-only";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { assignableRoles } from "@/lib/authz";
import { auditActor } from "@/lib/data/audit";
import { reportForeignIds } from "@/lib/data/denials";
import { recordAudit } from "@/lib/data/audit";
import { hashToken, randomToken } from "@/lib/crypto/tokens";
import { requirePermission, type Viewer } from "@/lib/authz";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";

/**
 * Invite links: 256-bit random tokens, stored hashed, single use, expiring. The raw token is shown once, at creation.
 */

export type InvitationDTO = {
  id: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  createdBy: string;
};

export async function createInvitation(viewer: Viewer, input: { role: Role; expiresInDays: number }) {
  requirePermission(viewer, "invitations:manage");
  if (!assignableRoles(viewer.role).includes(input.role)) throw new ForbiddenError("You can't invite people with that role.");
  const token = randomToken(32);
  const invitation = await db.$transaction(async (tx) => {
    const created = await tx.invitation.create({
      data: {
        workspaceId: viewer.workspaceId,
        tokenHash: hashToken(token),
        role: input.role,
        expiresAt: new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000),
        createdById: viewer.userId,
      },
      select: { id: true, role: true, expiresAt: true },
    });
    await recordAudit(
      {
        action: "invitation.created",
        workspaceId: viewer.workspaceId,
        ...(await auditActor(viewer.userId, tx)),
        targetType: "invitation",
        targetId: created.id,
        details: { role: created.role, expiresAt: created.expiresAt.toISOString() },
      },
      tx,
    );
    return created;
  });
  return { ...invitation, token };
}

export async function listPendingInvitations(viewer: Viewer): Promise<InvitationDTO[]> {
  requirePermission(viewer, "invitations:manage");
  const rows = await db.invitation.findMany({
    where: { workspaceId: viewer.workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, role: true, createdAt: true, expiresAt: true, createdBy: { select: { name: true, email: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    createdBy: r.createdBy.name ?? r.createdBy.email,
  }));
}

export async function revokeInvitation(viewer: Viewer, invitationId: string) {
  requirePermission(viewer, "invitations:manage");
  await db.$transaction(async (tx) => {
    const [revoked] = await tx.invitation.updateManyAndReturn({
      where: { id: invitationId, workspaceId: viewer.workspaceId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
      select: { id: true, role: true },
    });
    if (!revoked) {
      reportForeignIds(viewer, "invitation", [invitationId], "revokeInvitation");
      throw new NotFoundError("That invitation");
    }
    await recordAudit(
      {
        action: "invitation.revoked",
        workspaceId: viewer.workspaceId,
        ...(await auditActor(viewer.userId, tx)),
        targetType: "invitation",
        targetId: revoked.id,
        details: { role: revoked.role },
      },
      tx,
    );
  });
}

export type InvitationPreview = {
  workspaceName: string;
  workspaceSlug: string;
  role: Role;
  invitedBy: string;
  expiresAt: Date;
  status: "valid" | "expired" | "used" | "revoked";
};

/** What an invite link shows before it is accepted. Null for a token that never existed. */
export async function getInvitationPreview(token: string): Promise<InvitationPreview | null> {
  const row = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      workspace: { select: { name: true, slug: true } },
      createdBy: { select: { name: true, email: true } },
    },
  });
  if (!row) return null;
  const status = row.revokedAt ? "revoked" : row.acceptedAt ? "used" : row.expiresAt <= new Date() ? "expired" : "valid";
  return {
    workspaceName: row.workspace.name,
    workspaceSlug: row.workspace.slug,
    role: row.role,
    invitedBy: row.createdBy.name ?? row.createdBy.email,
    expiresAt: row.expiresAt,
    status,
  };
}

const unusable: Record<Exclude<InvitationPreview["status"], "valid">, string> = {
  expired: "This invite link has expired. Ask for a new one.",
  used: "This invite link has already been used. Ask for a new one.",
  revoked: "This invite link was revoked. Ask for a new one.",
};

/**
 * Joins the user to the invitation's workspace. The claim is one conditional UPDATE, so two people racing for the
 * same link cannot both get in. Someone who is already a member keeps their role and leaves the link unused.
 */
export async function acceptInvitation(userId: string, token: string): Promise<{ slug: string; alreadyMember: boolean }> {
  const tokenHash = hashToken(token);
  return db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({
      where: { tokenHash },
      select: { id: true, role: true, workspaceId: true, expiresAt: true, acceptedAt: true, revokedAt: true, workspace: { select: { slug: true } } },
    });
    if (!invitation) throw new NotFoundError("That invitation");
    const existing = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: invitation.workspaceId, userId } },
      select: { id: true },
    });
    if (existing) return { slug: invitation.workspace.slug, alreadyMember: true };
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date(), acceptedById: userId },
    });
    if (claimed.count === 0) {
      const status = invitation.revokedAt ? "revoked" : invitation.acceptedAt ? "used" : "expired";
      throw new UserError(unusable[status], "conflict");
    }
    await tx.membership.create({ data: { workspaceId: invitation.workspaceId, userId, role: invitation.role } });
    await recordAudit(
      { action: "invitation.accepted", workspaceId: invitation.workspaceId, actorId: userId, targetType: "invitation", targetId: invitation.id, details: { role: invitation.role } },
      tx,
    );
    return { slug: invitation.workspace.slug, alreadyMember: false };
  });
}
