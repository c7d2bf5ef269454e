import { z } from "zod";
import { workspaceRef } from "@/lib/validation/workspaces";

export const boardNameField = z
  .string({ error: "Name the board." })
  .trim()
  .min(1, "Name the board.")
  .max(60, "Use at most 60 characters.");

export const createBoardSchema = z.object({
  workspace: workspaceRef,
  name: boardNameField,
  /** Items to file in the new board (the undo of a deletion). */
  mediaIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(2000).optional(),
});
export const renameBoardSchema = z.object({ workspace: workspaceRef, boardId: z.string().min(1).max(64), name: boardNameField });
export const deleteBoardSchema = z.object({ workspace: workspaceRef, boardId: z.string().min(1).max(64) });
