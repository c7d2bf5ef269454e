/** What a stored file is made of: enough to render it again, byte for byte, after a restart. */
import type { FileRef } from "./types";

export type Recipe =
  | {
      kind: "art";
      width: number;
      height: number;
      prompt: string;
      seed: number;
      index: number;
      label: string;
      character?: string;
      facelock?: FileRef;
      controlnet?: { file: FileRef; name: string };
      loras?: string[];
    }
  | { kind: "true_touch"; input: FileRef; width: number; height: number; strength: number }
  | { kind: "segment"; input: FileRef; find: string; replace: string }
  | { kind: "video_anyone"; input: FileRef; width: number; height: number; duration: number; prompt: string }
  | { kind: "narrator"; width: number; height: number; duration: number; words: string[]; voice: string; face?: FileRef }
  | {
      kind: "qolaba";
      app: "canny" | "depth" | "pose" | "img2img" | "txt2img";
      input?: FileRef;
      width: number;
      height: number;
      prompt: string;
      seed: number;
      index: number;
    }
  | { kind: "thumb"; id: string; label: string };

export const CONTENT_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  avif: "image/avif",
  tiff: "image/tiff",
  mp4: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
  bin: "application/octet-stream",
};
