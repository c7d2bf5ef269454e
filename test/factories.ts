import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Viewer } from "@/lib/authz";
import { createPersonalWorkspace, slugify } from "@/lib/data/workspaces";

/** Test data builders: every call makes new rows with unique emails and slugs, so tests never collide. */
export async function makeUser(name = "Test User") {
  const email = `${randomUUID()}@example.test`;
  const user = await db.user.create({ data: { name, email }, select: { id: true, email: true, name: true } });
  const personal = await createPersonalWorkspace(user);
  return { ...user, personal };
}

/**
 * A team workspace with its owner, made as plain rows (like makeUser's people): builders leave the audit log to the
 * code under test, so a test counting entries sees only those of what it did. createTeamWorkspace, which also
 * records `workspace.created`, is tested through its action.
 */
export async function makeTeam(ownerId: string, name = `Team ${randomUUID().slice(0, 6)}`) {
  return db.workspace.create({
    data: { slug: `${slugify(name)}-${randomUUID().slice(0, 8)}`, name, personal: false, memberships: { create: { userId: ownerId, role: "OWNER" } } },
    select: { id: true, slug: true, name: true },
  });
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

/** Gallery items of one finished run (rows only, no files): `trashed` puts them in the trash. Returns their ids. */
export async function makeMedia(workspaceId: string, userId: string, count: number, options: { trashed?: boolean } = {}) {
  const generation = await db.generation.create({
    data: { workspaceId, createdById: userId, tool: "IMAGE", provider: "RENDERNET", status: "SUCCEEDED", idempotencyKey: randomUUID(), params: {} },
    select: { id: true },
  });
  const rows = await db.media.createManyAndReturn({
    data: Array.from({ length: count }, (_, position) => ({
      workspaceId,
      generationId: generation.id,
      position,
      kind: "IMAGE" as const,
      status: "READY" as const,
      tool: "IMAGE" as const,
      createdById: userId,
      deletedAt: options.trashed ? new Date() : null,
      deletedById: options.trashed ? userId : null,
    })),
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
