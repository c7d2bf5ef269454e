import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Viewer } from "@/lib/authz";
import { createPersonalWorkspace, createTeamWorkspace } from "@/lib/data/workspaces";

/** Test data builders: every call makes new rows with unique emails and slugs, so tests never collide. */
export async function makeUser(name = "Test User") {
  const email = `${randomUUID()}@example.test`;
  const user = await db.user.create({ data: { name, email }, select: { id: true, email: true, name: true } });
  const personal = await createPersonalWorkspace(user);
  return { ...user, personal };
}

export async function makeTeam(ownerId: string, name = `Team ${randomUUID().slice(0, 6)}`) {
  return createTeamWorkspace(ownerId, name);
}

export async function addMember(workspaceId: string, userId: string, role: Role) {
  return db.membership.create({ data: { workspaceId, userId, role }, select: { id: true } });
}

export async function viewerFor(userId: string, workspaceId: string): Promise<Viewer> {
  const m = await db.membership.findFirstOrThrow({
    where: { userId, workspaceId },
    select: { role: true, workspace: { select: { id: true, slug: true, name: true, personal: true } } },
  });
  return {
    userId,
    workspaceId: m.workspace.id,
    workspaceSlug: m.workspace.slug,
    workspaceName: m.workspace.name,
    personal: m.workspace.personal,
    role: m.role,
  };
}
