/**
 * A chosen input as the forms hold it: the reference the server resolves (`ref`), plus what the browser knows about
 * the file for previews and checks (`preview`). A reused run starts with refs only; the picker fills the preview in
 * from the asset and gallery lists when it can.
 */
import type { AssetDTO } from "@/lib/generations/types";
import type { InputRef, ToolId } from "@/lib/validation/generations";
import type { GalleryMediaItem } from "@/lib/generations-client/use-gallery-media";

export type InputPreview = {
  kind: "IMAGE" | "VIDEO" | "AUDIO";
  /** An upload's file name, a gallery item's prompt. */
  name: string | null;
  /** The tool that made a gallery item (absent for uploads). */
  tool?: ToolId;
  thumbUrl: string | null;
  originalUrl: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  frameRate: number | null;
};

export type InputValue = { ref: InputRef; preview: InputPreview | null };

export function inputFromAsset(asset: AssetDTO, probed?: { frameRate?: number | null }): InputValue {
  return {
    ref: { kind: "asset", id: asset.id },
    preview: {
      kind: asset.kind,
      name: asset.name,
      thumbUrl: asset.thumbUrl,
      originalUrl: asset.originalUrl,
      width: asset.width,
      height: asset.height,
      durationMs: asset.durationMs,
      frameRate: asset.frameRate ?? probed?.frameRate ?? null,
    },
  };
}

export function inputFromGalleryMedia(media: GalleryMediaItem): InputValue {
  return {
    ref: { kind: "media", id: media.id },
    preview: {
      kind: media.kind,
      name: media.prompt,
      tool: media.tool,
      thumbUrl: media.thumbUrl,
      originalUrl: media.originalUrl,
      width: media.width,
      height: media.height,
      durationMs: media.durationMs ?? null,
      frameRate: null,
    },
  };
}

/** A reused run's reference, before anything is known about the file. */
export function inputFromRef(ref: InputRef | null | undefined): InputValue | null {
  return ref ? { ref, preview: null } : null;
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
