"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions/action-client";
import { createBoard, deleteBoard, renameBoard } from "@/lib/data/boards";
import { ok } from "@/lib/result";
import { createBoardSchema, deleteBoardSchema, renameBoardSchema } from "@/lib/validation/boards";

export const createBoardAction = workspaceAction("createBoard", createBoardSchema, "board:create", async ({ input, viewer }) => {
  const board = await createBoard(viewer, input.name, input.mediaIds);
  revalidatePath(`/w/${viewer.workspaceSlug}/gallery`);
  return ok(board);
});

export const renameBoardAction = workspaceAction("renameBoard", renameBoardSchema, "board:edit", async ({ input, viewer }) => {
  await renameBoard(viewer, input.boardId, input.name);
  revalidatePath(`/w/${viewer.workspaceSlug}/gallery`);
  return ok(null);
});

export const deleteBoardAction = workspaceAction("deleteBoard", deleteBoardSchema, "board:edit", async ({ input, viewer }) => {
  const removed = await deleteBoard(viewer, input.boardId);
  revalidatePath(`/w/${viewer.workspaceSlug}/gallery`);
  return ok(removed);
});
