import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { auditActor } from "@/lib/data/audit";
import { recordAudit } from "@/lib/data/audit";
import { requirePermission, workspaceHomePath, type Viewer } from "@/lib/authz";

const RESERVED_SLUGS = new Set(["new", "settings", "admin", "api", "invite", "sign-in", "sign-up"]);

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base.length >= 2 && !RESERVED_SLUGS.has(base) ? base : `studio${base ? `-${base}` : ""}`;
}

type Tx = Prisma.TransactionClient;

/** Creates a workspace with its first owner, picking a free slug (name, name-2, name-3 ...). */
async function createWorkspaceWithOwner(tx: Tx, input: { name: string; ownerId: string; personal: boolean }) {
  const base = slugify(input.name);
  const taken = new Set(
    (await tx.workspace.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((w) => w.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return tx.workspace.create({
    data: {
      slug,
      name: input.name,
      personal: input.personal,
      memberships: { create: { userId: input.ownerId, role: "OWNER" } },
    },
    select: { id: true, slug: true, name: true },
  });
}

async function withSlugRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  // Two people creating "Acme" in the same instant: the unique index decides, and the loser picks the next slug.
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const conflict = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!conflict || attempt >= attempts) throw error;
    }
  }
}

export function personalWorkspaceName(user: { name: string | null; email: string }) {
  const first = (user.name?.trim() || user.email.split("@")[0] || "My").split(/\s+/)[0];
  return `${first}'s studio`;
}

export async function createPersonalWorkspace(user: { id: string; name: string | null; email: string }, tx?: Tx) {
  const run = (client: Tx) =>
    createWorkspaceWithOwner(client, { name: personalWorkspaceName(user), ownerId: user.id, personal: true });
  return tx ? run(tx) : withSlugRetry(() => db.$transaction(run));
}

export async function createTeamWorkspace(userId: string, name: string) {
  return withSlugRetry(() =>
    db.$transaction(async (tx) => {
      const workspace = await createWorkspaceWithOwner(tx, { name, ownerId: userId, personal: false });
      await recordAudit(
        { action: "workspace.created", workspaceId: workspace.id, actorId: userId, targetType: "workspace", targetId: workspace.id, details: { name: workspace.name, slug: workspace.slug } },
        tx,
      );
      return workspace;
    }),
  );
}

export type WorkspaceSummary = { slug: string; name: string; personal: boolean; role: Role; memberCount: number };

export async function listWorkspacesForUser(userId: string): Promise<WorkspaceSummary[]> {
  const rows = await db.membership.findMany({
    where: { userId },
    orderBy: [{ workspace: { personal: "desc" } }, { workspace: { name: "asc" } }],
    select: {
      role: true,
      workspace: { select: { slug: true, name: true, personal: true, _count: { select: { memberships: true } } } },
    },
  });
  return rows.map((r) => ({
    slug: r.workspace.slug,
    name: r.workspace.name,
    personal: r.workspace.personal,
    role: r.role,
    memberCount: r.workspace._count.memberships,
  }));
}

/** Where to land after sign-in: the personal workspace, else the first one the user belongs to. */
export async function getHomeWorkspaceSlug(userId: string): Promise<string | null> {
  return (await homeMembership(userId))?.workspace.slug ?? null;
}

/**
 * Where a signed-in person starts: their home workspace's page for their role (the tools, or a viewer's gallery), or
 * the page that creates a workspace when they have none. Sign-in and `/` send people straight there, in one redirect.
 */
export async function getHomePath(userId: string): Promise<string> {
  const row = await homeMembership(userId);
  return row ? workspaceHomePath(row.workspace.slug, row.role) : "/workspaces/new";
}

/** The personal workspace first, else the oldest membership. */
function homeMembership(userId: string) {
  return db.membership.findFirst({
    where: { userId },
    orderBy: [{ workspace: { personal: "desc" } }, { createdAt: "asc" }],
    select: { role: true, workspace: { select: { slug: true } } },
  });
}

export async function renameWorkspace(viewer: Viewer, name: string) {
  requirePermission(viewer, "workspace:update");
  await db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM "Workspace" WHERE id = ${viewer.workspaceId} FOR UPDATE`;
    await tx.workspace.update({ where: { id: viewer.workspaceId }, data: { name } });
    if (!before || before.name === name) return;
    await recordAudit(
      {
        action: "workspace.renamed",
        workspaceId: viewer.workspaceId,
        ...(await auditActor(viewer.userId, tx)),
        targetType: "workspace",
        targetId: viewer.workspaceId,
        details: { from: before.name, to: name },
      },
      tx,
    );
  });
}
