import { z } from "zod";
import { BULK_MAX } from "@/lib/gallery/view-params";
import { workspaceRef } from "@/lib/validation/workspaces";

/** The gallery actions' inputs (the view's URL parameters are read by lib/gallery/view-params.ts). */

export * from "@/lib/gallery/view-params";

const ID = /^[A-Za-z0-9_-]{1,64}$/;

const mediaIds = z
  .array(z.string().regex(ID, "That item id is not valid."), { error: "Choose at least one item." })
  .min(1, "Choose at least one item.")
  .max(BULK_MAX, `Choose at most ${BULK_MAX} items at a time.`)
  .transform((ids) => [...new Set(ids)]);

export const favoriteMediaSchema = z.object({ workspace: workspaceRef, mediaIds, favorite: z.boolean() });
export const moveToBoardSchema = z.object({
  workspace: workspaceRef,
  mediaIds,
  /** null takes the items out of their board. */
  boardId: z.string().regex(ID, "That board id is not valid.").nullable(),
});
export const trashMediaSchema = z.object({ workspace: workspaceRef, mediaIds });
export const restoreMediaSchema = z.object({ workspace: workspaceRef, mediaIds });
/** Without ids: the whole trash. */
export const emptyTrashSchema = z.object({ workspace: workspaceRef, mediaIds: mediaIds.optional() });
