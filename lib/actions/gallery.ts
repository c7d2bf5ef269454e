"use server";

import { workspaceAction } from "@/lib/actions/action-client";
import { moveToBoard, setFavorite } from "@/lib/data/gallery";
import { emptyTrash, restoreMedia, trashMedia } from "@/lib/gallery/trash";
import { ok } from "@/lib/result";
import { emptyTrashSchema, favoriteMediaSchema, moveToBoardSchema, restoreMediaSchema, trashMediaSchema } from "@/lib/validation/gallery";

// The gallery's lists are read through react-query (/api/w/<slug>/gallery), so the browser invalidates its queries
// after each of these; nothing server-rendered needs revalidating.

export const favoriteMediaAction = workspaceAction("favoriteMedia", favoriteMediaSchema, "media:organize", async ({ input, viewer }) =>
  ok({ count: await setFavorite(viewer, input.mediaIds, input.favorite) }),
);

export const moveToBoardAction = workspaceAction("moveToBoard", moveToBoardSchema, "media:organize", async ({ input, viewer }) =>
  ok(await moveToBoard(viewer, input.mediaIds, input.boardId)),
);

export const trashMediaAction = workspaceAction("trashMedia", trashMediaSchema, "media:organize", async ({ input, viewer }) =>
  ok({ count: await trashMedia(viewer, input.mediaIds) }),
);

export const restoreMediaAction = workspaceAction("restoreMedia", restoreMediaSchema, "media:organize", async ({ input, viewer }) =>
  ok({ count: await restoreMedia(viewer, input.mediaIds) }),
);

export const emptyTrashAction = workspaceAction("emptyTrash", emptyTrashSchema, "trash:empty", async ({ input, viewer }) =>
  ok({ count: await emptyTrash(viewer, input.mediaIds) }),
);
