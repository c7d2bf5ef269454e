"use client";

import { onDemand } from "@/components/ui/on-demand";

// The tool pages' dialogs, fetched when first opened (see components/ui/on-demand.tsx); same props as the originals.

/** components/generate/crop-dialog.tsx: the crop editor of Image to video. */
export const CropDialog = onDemand(() => import("@/components/generate/crop-dialog").then((m) => m.CropDialog), (props) => props.open);

/** components/generate/media-browser-dialog.tsx: choosing an input from the assets or the gallery. */
export const MediaBrowserDialog = onDemand(() => import("@/components/generate/media-browser-dialog").then((m) => m.MediaBrowserDialog), (props) => props.open);

/** components/generate/media-lightbox.tsx: a run's results, full size. */
export const MediaLightbox = onDemand(() => import("@/components/generate/media-lightbox").then((m) => m.MediaLightbox), (props) => props.generation !== null);
