"use client";

import { useCallback, useState } from "react";
import { toast } from "sonner";
import { emptyTrashAction, favoriteMediaAction, moveToBoardAction, restoreMediaAction, trashMediaAction } from "@/lib/actions/gallery";
import { useGalleryCache } from "@/lib/gallery-client/use-gallery";

const items = (count: number) => (count === 1 ? "1 item" : `${count} items`);

/**
 * The gallery's changes, as the grid, the bulk bar and the detail view use them: each shows at once in every loaded
 * view, says what happened in a toast (deleting offers Undo), and puts things back with the server's sentence if the
 * server refuses.
 */
export function useGalleryActions(slug: string) {
  const { patch, refresh } = useGalleryCache(slug);
  const [pending, setPending] = useState(false);

  const guarded = useCallback(async <T,>(body: () => Promise<T>): Promise<T | null> => {
    setPending(true);
    try {
      return await body();
    } catch {
      toast.error("Couldn't reach Atelier. Check your connection and try again.");
      return null;
    } finally {
      setPending(false);
    }
  }, []);

  const favorite = useCallback(
    (ids: string[], value: boolean) =>
      guarded(async () => {
        patch(ids, (item) => ({ ...item, favorite: value }));
        const result = await favoriteMediaAction({ workspace: slug, mediaIds: ids, favorite: value });
        if (!result.ok) toast.error(result.error);
        else if (ids.length > 1) toast.success(value ? `Added ${items(result.data.count)} to favourites` : `Removed ${items(result.data.count)} from favourites`);
        refresh();
        return result.ok;
      }),
    [guarded, patch, refresh, slug],
  );

  const move = useCallback(
    (ids: string[], boardId: string | null) =>
      guarded(async () => {
        patch(ids, (item) => ({ ...item, boardId }));
        const result = await moveToBoardAction({ workspace: slug, mediaIds: ids, boardId });
        if (!result.ok) toast.error(result.error);
        else toast.success(result.data.boardName ? `Moved ${items(result.data.count)} to “${result.data.boardName}”` : `Took ${items(result.data.count)} out of their board`);
        refresh();
        return result.ok;
      }),
    [guarded, patch, refresh, slug],
  );

  const restore = useCallback(
    (ids: string[], { quiet = false }: { quiet?: boolean } = {}) =>
      guarded(async () => {
        patch(ids, "remove");
        const result = await restoreMediaAction({ workspace: slug, mediaIds: ids });
        if (!result.ok) toast.error(result.error);
        else if (!quiet) toast.success(`Restored ${items(result.data.count)}`);
        refresh();
        return result.ok;
      }),
    [guarded, patch, refresh, slug],
  );

  const trash = useCallback(
    (ids: string[]) =>
      guarded(async () => {
        patch(ids, "remove");
        const result = await trashMediaAction({ workspace: slug, mediaIds: ids });
        if (!result.ok) {
          toast.error(result.error);
          refresh();
          return false;
        }
        refresh();
        toast(`Moved ${items(result.data.count)} to the trash`, {
          action: {
            label: "Undo",
            onClick: () => {
              void restoreMediaAction({ workspace: slug, mediaIds: ids }).then((undone) => {
                if (undone.ok) toast.success(`Put back ${items(undone.data.count)}`);
                else toast.error(undone.error);
                refresh();
              });
            },
          },
          duration: 8000,
        });
        return true;
      }),
    [guarded, patch, refresh, slug],
  );

  const purge = useCallback(
    (ids?: string[]) =>
      guarded(async () => {
        if (ids) patch(ids, "remove");
        const result = await emptyTrashAction({ workspace: slug, mediaIds: ids });
        if (!result.ok) toast.error(result.error);
        else toast.success(ids ? `Deleted ${items(result.data.count)} for good` : `Emptied the trash (${items(result.data.count)})`);
        refresh();
        return result.ok;
      }),
    [guarded, patch, refresh, slug],
  );

  return { favorite, move, trash, restore, purge, pending };
}
