import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { auditActor } from "@/lib/data/audit";
import { reportForeignIds, reportIfShort } from "@/lib/data/denials";
import { recordAudit } from "@/lib/data/audit";
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

/** Creates a board; `mediaIds` (the undo of a deletion) files those of the workspace's items in it again. */
export async function createBoard(viewer: Viewer, name: string, mediaIds: string[] = []) {
  requirePermission(viewer, "board:create");
  let filed = 0;
  const board = await db
    .$transaction(async (tx) => {
      const board = await tx.board.create({ data: { workspaceId: viewer.workspaceId, name, createdById: viewer.userId }, select: { id: true, name: true } });
      if (mediaIds.length) {
        ({ count: filed } = await tx.media.updateMany({ where: { id: { in: mediaIds }, workspaceId: viewer.workspaceId, boardId: null }, data: { boardId: board.id } }));
      }
      await recordAudit(
        {
          action: "board.created",
          workspaceId: viewer.workspaceId,
          actorId: viewer.userId,
          targetType: "board",
          targetId: board.id,
          details: { name, ...(mediaIds.length ? { items: filed } : {}) },
        },
        tx,
      );
      return board;
    })
    .catch((e: unknown) => duplicateName(e, name));
  if (mediaIds.length) reportIfShort(viewer, "media", mediaIds, filed, "createBoard");
  return board;
}

export async function renameBoard(viewer: Viewer, boardId: string, name: string) {
  requirePermission(viewer, "board:edit");
  await db
    .$transaction(async (tx) => {
      const [before] = await tx.$queryRaw<{ name: string }[]>`
        SELECT name FROM "Board" WHERE id = ${boardId} AND "workspaceId" = ${viewer.workspaceId} FOR UPDATE`;
      if (!before) {
        reportForeignIds(viewer, "board", [boardId], "renameBoard");
        throw new NotFoundError("That board");
      }
      if (before.name === name) return;
      await tx.board.updateMany({ where: { id: boardId, workspaceId: viewer.workspaceId }, data: { name } });
      await recordAudit(
        { action: "board.renamed", workspaceId: viewer.workspaceId, actorId: viewer.userId, targetType: "board", targetId: boardId, details: { from: before.name, to: name } },
        tx,
      );
    })
    .catch((e: unknown) => duplicateName(e, name));
}

/** The most items a board's deletion remembers for its undo. */
export const BOARD_UNDO_MAX = 2000;

/** Deletes a board (its items stay in the gallery) and returns the ids that were in it, for an undo. */
export async function deleteBoard(viewer: Viewer, boardId: string): Promise<{ mediaIds: string[] }> {
  requirePermission(viewer, "board:edit");
  return db.$transaction(async (tx) => {
    const board = await tx.board.findFirst({ where: { id: boardId, workspaceId: viewer.workspaceId }, select: { name: true } });
    if (!board) {
      reportForeignIds(viewer, "board", [boardId], "deleteBoard");
      throw new NotFoundError("That board");
    }
    const items = await tx.media.findMany({ where: { boardId, workspaceId: viewer.workspaceId }, select: { id: true }, take: BOARD_UNDO_MAX });
    // Counted before the delete, which takes the items out of the board.
    const itemCount = items.length < BOARD_UNDO_MAX ? items.length : await tx.media.count({ where: { boardId, workspaceId: viewer.workspaceId } });
    const { count } = await tx.board.deleteMany({ where: { id: boardId, workspaceId: viewer.workspaceId } });
    if (count === 0) throw new NotFoundError("That board");
    await recordAudit(
      {
        action: "board.deleted",
        workspaceId: viewer.workspaceId,
        ...(await auditActor(viewer.userId, tx)),
        targetType: "board",
        targetId: boardId,
        details: { name: board.name, items: itemCount },
      },
      tx,
    );
    return { mediaIds: items.map((item) => item.id) };
  });
}

/** Whether the board exists in the workspace (a run's board: another workspace's id answers like a missing one). */
export async function boardInWorkspace(workspaceId: string, boardId: string): Promise<boolean> {
  return (await db.board.findFirst({ where: { id: boardId, workspaceId }, select: { id: true } })) !== null;
}
