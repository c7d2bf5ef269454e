import { z } from "zod";
import { workspaceRef } from "@/lib/validation/workspaces";

export const boardNameField = z
  .string({ error: "Name the board." })
  .trim()
  .min(1, "Name the board.")
  .max(60, "Use at most 60 characters.");

export const createBoardSchema = z.object({ workspace: workspaceRef, name: boardNameField });
export const renameBoardSchema = z.object({ workspace: workspaceRef, boardId: z.string().min(1).max(64), name: boardNameField });
export const deleteBoardSchema = z.object({ workspace: workspaceRef, boardId: z.string().min(1).max(64) });
