import { AudioLines, Film, ImageIcon, type LucideIcon } from "lucide-react";
import type { InputPreview } from "@/lib/generations-client/input-value";

export type InputKind = InputPreview["kind"];

/** What each kind of input accepts, by MIME type and, when the browser gives none, by extension. */
export const INPUT_KINDS: Record<InputKind, { mime: readonly string[]; extensions: readonly string[]; formats: string; noun: string; icon: LucideIcon }> = {
  IMAGE: { mime: ["image/png", "image/jpeg", "image/webp"], extensions: [".png", ".jpg", ".jpeg", ".webp"], formats: "PNG, JPEG or WebP", noun: "image", icon: ImageIcon },
  VIDEO: { mime: ["video/mp4", "video/webm"], extensions: [".mp4", ".m4v", ".webm"], formats: "MP4 or WebM", noun: "video", icon: Film },
  AUDIO: { mime: ["audio/mpeg", "audio/mp3"], extensions: [".mp3"], formats: "MP3", noun: "audio file", icon: AudioLines },
};

export function acceptsFile(kind: InputKind, file: File): boolean {
  const spec = INPUT_KINDS[kind];
  if (file.type) return spec.mime.includes(file.type);
  const name = file.name.toLowerCase();
  return spec.extensions.some((ext) => name.endsWith(ext));
}

/**
 * Why a file was refused by a picker of `kind`: what this picker takes (Edit's image: PNG, JPEG or WebP), not every
 * type an upload may be elsewhere in Atelier.
 */
export function unsupportedMessage(kind: InputKind, fileName: string, { byContent = false } = {}): string {
  const spec = INPUT_KINDS[kind];
  // By content: the name looked right (photo.png) but the server read something else inside.
  return `${fileName}${byContent ? "'s content" : ""} isn't a supported ${spec.noun}. Use ${spec.formats}.`;
}

/**
 * Whether an uploaded file, as the server read it from its content, is what this picker takes: a file named .png
 * may be a GIF or a video, which the upload keeps as an asset but this input can't use.
 */
export function acceptsUpload(kind: InputKind, upload: { kind: InputKind; mimeType: string }): boolean {
  return upload.kind === kind && INPUT_KINDS[kind].mime.includes(upload.mimeType);
}

export const acceptAttribute = (kind: InputKind) => [...INPUT_KINDS[kind].mime, ...INPUT_KINDS[kind].extensions].join(",");
