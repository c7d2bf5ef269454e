"use client";

import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useCallback } from "react";
import type { GalleryFacetsDTO, GalleryItemDTO, GalleryPageDTO, MediaDetailDTO } from "@/lib/gallery/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { galleryKeys, galleryMediaKeys } from "@/lib/client/query-keys";

/**
 * The gallery's data in the browser: keyset pages of one view (infinite scroll), the filter bar's choices, one item's
 * detail, and helpers that patch every loaded page at once after a change (so a favourite or a delete shows at once,
 * before the lists are read again).
 */

export function useGalleryPages(slug: string, view: string, initial: { view: string; page: GalleryPageDTO } | null) {
  return useInfiniteQuery({
    queryKey: galleryKeys.pages(slug, view),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams(view);
      if (pageParam) params.set("cursor", pageParam);
      return fetchJson<GalleryPageDTO>(workspaceApi(slug, `gallery?${params}`), { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: initial && initial.view === view ? { pages: [initial.page], pageParams: [null] } : undefined,
    // The server's first page is fresh on arrival; later visits re-read in the background.
    staleTime: 15_000,
  });
}

export function useGalleryFacets(slug: string, initial?: GalleryFacetsDTO) {
  return useQuery({
    queryKey: galleryKeys.facets(slug),
    queryFn: ({ signal }) => fetchJson<GalleryFacetsDTO>(workspaceApi(slug, "gallery/facets"), { signal }),
    initialData: initial,
    staleTime: 30_000,
  });
}

export function useMediaDetail(slug: string, mediaId: string | null) {
  return useQuery({
    queryKey: galleryKeys.detail(slug, mediaId ?? ""),
    queryFn: ({ signal }) => fetchJson<MediaDetailDTO>(workspaceApi(slug, `media/${encodeURIComponent(mediaId!)}/detail`), { signal }),
    enabled: mediaId !== null,
    staleTime: 10_000,
  });
}

type Pages = InfiniteData<GalleryPageDTO, string | null>;

/** Patches or drops items in every cached gallery view, then re-reads the gallery in the background. */
export function useGalleryCache(slug: string) {
  const queryClient = useQueryClient();
  const patch = useCallback(
    (ids: readonly string[], change: ((item: GalleryItemDTO) => GalleryItemDTO) | "remove") => {
      const set = new Set(ids);
      queryClient.setQueriesData<Pages>({ queryKey: [...galleryKeys.all(slug), "pages"] }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items:
                  change === "remove"
                    ? page.items.filter((item) => !set.has(item.id))
                    : page.items.map((item) => (set.has(item.id) ? change(item) : item)),
              })),
            }
          : data,
      );
    },
    [queryClient, slug],
  );
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: galleryKeys.all(slug) });
    void queryClient.invalidateQueries({ queryKey: galleryMediaKeys.all(slug) });
  }, [queryClient, slug]);
  return { patch, refresh };
}
