"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { toast } from "@/lib/client/toast";
import { emptyTrashAction, favoriteMediaAction, moveToBoardAction, restoreMediaAction, trashMediaAction } from "@/lib/actions/gallery";
import type { GalleryItemDTO } from "@/lib/gallery/types";
import type { ActionResult } from "@/lib/result";
import { ActionRefusal, refusalMessage, unwrapAction } from "@/lib/client/action-mutation";
import { galleryKeys } from "@/lib/client/query-keys";
import { useGalleryCache } from "@/lib/gallery-client/use-gallery";
import { plural } from "@/lib/validation/text";

const items = (count: number) => plural(count, "item");
const OFFLINE = "Couldn't reach Atelier. Check your connection and try again.";

type Patch = ((item: GalleryItemDTO) => GalleryItemDTO) | "remove";
type Snapshot = [QueryKey, unknown][];

/**
 * One gallery change as a react-query mutation: the change shows at once in every loaded view (onMutate patches the
 * cached pages after keeping a copy), a refusal or a lost request puts the copy back and says why (onError), and
 * the gallery is read again either way (onSettled). `patch` says what the change looks like, `done` what to say.
 */
function useGalleryMutation<V extends { ids?: string[] }, T>(
  slug: string,
  {
    action,
    patch,
    done,
  }: { action: (vars: V) => Promise<ActionResult<T>>; patch: (vars: V) => Patch | null; done: (data: T, vars: V) => void },
) {
  const queryClient = useQueryClient();
  const cache = useGalleryCache(slug);
  const pagesKey = [...galleryKeys.all(slug), "pages"];
  const mutation = useMutation({
    mutationFn: (vars: V) => unwrapAction(action(vars)),
    onMutate: async (vars): Promise<{ snapshot: Snapshot }> => {
      const change = patch(vars);
      if (!change || !vars.ids) return { snapshot: [] };
      // A page read already under way would overwrite the patch with what the server had before the change.
      await queryClient.cancelQueries({ queryKey: pagesKey });
      const snapshot = queryClient.getQueriesData({ queryKey: pagesKey });
      cache.patch(vars.ids, change);
      return { snapshot };
    },
    onError: (error, _vars, context) => {
      for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
      toast.error(refusalMessage(error, OFFLINE));
    },
    onSuccess: (data, vars) => done(data, vars),
    onSettled: () => cache.refresh(),
  });
  /** Resolves true when the server made the change, false when it refused, null when it never answered. */
  const run = (vars: V): Promise<boolean | null> =>
    mutation.mutateAsync(vars).then(
      () => true,
      (error: unknown) => (error instanceof ActionRefusal ? false : null),
    );
  return { run, pending: mutation.isPending };
}

/**
 * The gallery's changes, as the grid, the bulk bar and the detail view use them: each shows at once in every loaded
 * view, says what happened in a toast (deleting offers Undo), and puts things back with the server's sentence if the
 * server refuses.
 */
export function useGalleryActions(slug: string) {
  const favorite = useGalleryMutation(slug, {
    action: ({ ids, value }: { ids: string[]; value: boolean }) => favoriteMediaAction({ workspace: slug, mediaIds: ids, favorite: value }),
    patch: ({ value }) => (item) => ({ ...item, favorite: value }),
    done: ({ count }, { ids, value }) => {
      if (ids.length > 1) toast.success(value ? `Added ${items(count)} to favourites` : `Removed ${items(count)} from favourites`);
    },
  });

  const move = useGalleryMutation(slug, {
    action: ({ ids, boardId }: { ids: string[]; boardId: string | null }) => moveToBoardAction({ workspace: slug, mediaIds: ids, boardId }),
    patch: ({ boardId }) => (item) => ({ ...item, boardId }),
    done: ({ count, boardName }) => toast.success(boardName ? `Moved ${items(count)} to “${boardName}”` : `Took ${items(count)} out of their board`),
  });

  const restore = useGalleryMutation(slug, {
    action: ({ ids }: { ids: string[]; message: "restored" | "put-back" | null }) => restoreMediaAction({ workspace: slug, mediaIds: ids }),
    patch: () => "remove",
    done: ({ count }, { message }) => {
      if (message === "restored") toast.success(`Restored ${items(count)}`);
      else if (message === "put-back") toast.success(`Put back ${items(count)}`);
    },
  });

  const trash = useGalleryMutation(slug, {
    action: ({ ids }: { ids: string[] }) => trashMediaAction({ workspace: slug, mediaIds: ids }),
    patch: () => "remove",
    done: ({ count }, { ids }) =>
      toast(`Moved ${items(count)} to the trash`, {
        action: { label: "Undo", onClick: () => void restore.run({ ids, message: "put-back" }) },
        duration: 8000,
      }),
  });

  const purge = useGalleryMutation(slug, {
    action: ({ ids }: { ids?: string[] }) => emptyTrashAction({ workspace: slug, mediaIds: ids }),
    patch: ({ ids }) => (ids ? "remove" : null),
    done: ({ count }, { ids }) => toast.success(ids ? `Deleted ${items(count)} for good` : `Emptied the trash (${items(count)})`),
  });

  return {
    favorite: (ids: string[], value: boolean) => favorite.run({ ids, value }),
    move: (ids: string[], boardId: string | null) => move.run({ ids, boardId }),
    trash: (ids: string[]) => trash.run({ ids }),
    restore: (ids: string[], { quiet = false }: { quiet?: boolean } = {}) => restore.run({ ids, message: quiet ? null : "restored" }),
    purge: (ids?: string[]) => purge.run({ ids }),
    pending: favorite.pending || move.pending || restore.pending || trash.pending || purge.pending,
  };
}

export type GalleryActions = ReturnType<typeof useGalleryActions>;
