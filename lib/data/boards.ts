import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { requirePermission, type Viewer } from "@/lib/authz";
import { NotFoundError, UserError } from "@/lib/result";

export type BoardDTO = { id: string; name: string; createdAt: Date; createdBy: string | null };

export async function listBoards(viewer: Viewer): Promise<BoardDTO[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.board.findMany({
    where: { workspaceId: viewer.workspaceId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, createdAt: true, createdBy: { select: { name: true, email: true } } },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, createdBy: r.createdBy?.name ?? r.createdBy?.email ?? null }));
}

function duplicateName(error: unknown, name: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new UserError(`A board called "${name}" already exists.`, "conflict", { name: ["A board with this name already exists."] });
  }
  throw error;
}

export async function createBoard(viewer: Viewer, name: string) {
  requirePermission(viewer, "board:create");
  return db.board
    .create({ data: { workspaceId: viewer.workspaceId, name, createdById: viewer.userId }, select: { id: true, name: true } })
    .catch((e: unknown) => duplicateName(e, name));
}

export async function renameBoard(viewer: Viewer, boardId: string, name: string) {
  requirePermission(viewer, "board:edit");
  const { count } = await db.board
    .updateMany({ where: { id: boardId, workspaceId: viewer.workspaceId }, data: { name } })
    .catch((e: unknown) => duplicateName(e, name));
  if (count === 0) throw new NotFoundError("That board");
}

export async function deleteBoard(viewer: Viewer, boardId: string) {
  requirePermission(viewer, "board:edit");
  const { count } = await db.board.deleteMany({ where: { id: boardId, workspaceId: viewer.workspaceId } });
  if (count === 0) throw new NotFoundError("That board");
}
