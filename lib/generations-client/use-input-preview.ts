"use client";

import { useAssets } from "@/lib/assets-client/use-assets";
import { useGalleryMedia } from "@/lib/generations-client/use-gallery-media";
import { inputFromAsset, inputFromGalleryMedia, type InputPreview, type InputValue } from "@/lib/generations-client/input-value";

/**
 * What is known about a chosen input: its own preview, or (for a reused run's bare reference) the matching entry of
 * the workspace's asset or gallery list. `missing` means the lists loaded without it (older than they reach).
 */
export function useInputPreview(slug: string, value: InputValue | null, kind: InputPreview["kind"]) {
  const needsLookup = value !== null && value.preview === null;
  const assets = useAssets(slug, kind, { enabled: needsLookup && value.ref.kind === "asset" });
  const galleryKind = kind === "AUDIO" ? null : kind;
  const media = useGalleryMedia(slug, galleryKind ?? "IMAGE", { enabled: needsLookup && value.ref.kind === "media" && galleryKind !== null });
  if (!value) return { preview: null, loading: false, missing: false };
  if (value.preview) return { preview: value.preview, loading: false, missing: false };
  if (value.ref.kind === "asset") {
    const asset = assets.data?.find((a) => a.id === value.ref.id);
    return { preview: asset ? inputFromAsset(asset).preview : null, loading: assets.isPending, missing: !asset && !assets.isPending };
  }
  if (galleryKind === null) return { preview: null, loading: false, missing: true };
  const item = media.data?.pages[0]?.items.find((m) => m.id === value.ref.id);
  return { preview: item ? inputFromGalleryMedia(item).preview : null, loading: media.isPending, missing: !item && !media.isPending };
}
