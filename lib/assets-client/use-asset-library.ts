"use client";

import { useCallback } from "react";
import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { AssetDTO, AssetLibraryItemDTO, AssetLibraryPageDTO } from "@/lib/generations/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { assetKeys } from "@/lib/client/query-keys";
import type { AssetTypeFilter } from "@/lib/validation/assets";

/**
 * The asset library in the browser: keyset pages of one type filter (infinite scroll), and cache helpers that show an
 * upload or a delete at once in every loaded view (and in the pickers' lists) before they are read again.
 */
export function useAssetLibrary(slug: string, type: AssetTypeFilter | null, initial?: { type: AssetTypeFilter | null; page: AssetLibraryPageDTO }) {
  return useInfiniteQuery({
    queryKey: assetKeys.library(slug, type ?? "all"),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams();
      if (type) params.set("type", type);
      if (pageParam) params.set("cursor", pageParam);
      return fetchJson<AssetLibraryPageDTO>(workspaceApi(slug, `assets/library?${params}`), { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: initial && initial.type === type ? { pages: [initial.page], pageParams: [null] } : undefined,
    staleTime: 15_000,
  });
}

type Pages = InfiniteData<AssetLibraryPageDTO, string | null>;
const typeOfKind = { IMAGE: "image", VIDEO: "video", AUDIO: "audio" } as const;

export function useAssetLibraryCache(slug: string) {
  const queryClient = useQueryClient();

  /** A new upload joins the top of "all" and of its type's view, and of the pickers' list of its kind. */
  const added = useCallback(
    (asset: AssetDTO, createdBy: string | null) => {
      const item: AssetLibraryItemDTO = { ...asset, createdBy };
      for (const view of ["all", typeOfKind[asset.kind]]) {
        queryClient.setQueryData<Pages>(assetKeys.library(slug, view), (data) =>
          data && data.pages[0]
            ? { ...data, pages: [{ ...data.pages[0], items: [item, ...data.pages[0].items.filter((a) => a.id !== item.id)] }, ...data.pages.slice(1)] }
            : data,
        );
      }
      queryClient.setQueryData<AssetDTO[]>(assetKeys.list(slug, asset.kind), (list) => (list ? [asset, ...list.filter((a) => a.id !== asset.id)] : list));
    },
    [queryClient, slug],
  );

  /** A deleted asset leaves every loaded view and picker list at once. */
  const removed = useCallback(
    (assetId: string) => {
      queryClient.setQueriesData<Pages>({ queryKey: assetKeys.libraries(slug) }, (data) =>
        data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((a) => a.id !== assetId) })) } : data,
      );
      for (const kind of ["IMAGE", "VIDEO", "AUDIO"] as const) {
        queryClient.setQueryData<AssetDTO[]>(assetKeys.list(slug, kind), (list) => list?.filter((a) => a.id !== assetId));
      }
    },
    [queryClient, slug],
  );

  /** Re-read every asset list in the background. */
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: assetKeys.all(slug) }), [queryClient, slug]);

  return { added, removed, refresh };
}
