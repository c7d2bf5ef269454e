"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { GalleryItemDTO, GalleryPageDTO } from "@/lib/gallery/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { galleryMediaKeys, type GalleryMediaKind } from "@/lib/client/query-keys";
import { galleryParamsOf, EMPTY_FILTERS, SEARCH_MAX } from "@/lib/gallery/view-params";

/** A READY image or video of the workspace gallery, as the gallery itself lists it (with its prompt and tool). */
export type GalleryMediaItem = GalleryItemDTO;

/**
 * The workspace gallery's READY items of one kind, newest first, offered as inputs ("use as input"), searched by
 * prompt with `q`. The gallery's own list endpoint and view parameters (GET /api/w/<slug>/gallery, lib/data/gallery.ts),
 * so the picker searches exactly as the gallery does: workspace-scoped, in keyset pages of the gallery's page size.
 */
export function useGalleryMedia(slug: string, kind: GalleryMediaKind, { q = "", enabled = true }: { q?: string; enabled?: boolean } = {}) {
  const search = q.trim().slice(0, SEARCH_MAX);
  return useInfiniteQuery({
    queryKey: galleryMediaKeys.recent(slug, kind, search),
    queryFn: ({ pageParam, signal }) => {
      const params = galleryParamsOf({ ...EMPTY_FILTERS, kind: kind === "IMAGE" ? "image" : "video", status: "ready", q: search || null });
      if (pageParam) params.set("cursor", pageParam);
      return fetchJson<GalleryPageDTO>(workspaceApi(slug, `gallery?${params}`), { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
    // While a new search runs, the last results stay (dimmed by the picker's aria-busy) instead of a skeleton flash.
    placeholderData: keepPreviousData,
    enabled,
  });
}
