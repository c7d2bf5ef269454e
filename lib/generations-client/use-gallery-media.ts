"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { galleryMediaKeys, type GalleryMediaKind } from "@/lib/client/query-keys";

/** A READY image or video of the workspace gallery, as `GET /api/w/<slug>/media` lists it (prompt when it has one). */
export type GalleryMediaItem = {
  id: string;
  kind: GalleryMediaKind;
  width: number | null;
  height: number | null;
  durationMs?: number | null;
  thumbUrl: string | null;
  originalUrl: string | null;
  prompt?: string | null;
};

export const GALLERY_PICK_LIMIT = 60;

/** Recent gallery media, offered as inputs ("use as input"). */
export function useGalleryMedia(slug: string, kind: GalleryMediaKind, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: galleryMediaKeys.recent(slug, kind),
    queryFn: ({ signal }) => fetchJson<GalleryMediaItem[]>(workspaceApi(slug, `media?kind=${kind}&limit=${GALLERY_PICK_LIMIT}`), { signal }),
    staleTime: 30_000,
    enabled,
  });
}
