"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { UploadedAssetDTO } from "@/lib/generations/types";
import { uploadAsset } from "@/lib/assets-client/upload-asset";

/**
 * Several uploads at once for the asset library (a drop of many files), two at a time, each with its own progress,
 * cancel and error sentence; the server decides by content (413/415/422 answers carry the sentence shown). Tools'
 * single-input pickers use useAssetUpload instead. Finished uploads leave the list after a moment; failures stay
 * until dismissed, and so does a file the workspace already had (`existingAs`: the server kept that one instead).
 */
export type QueuedUpload = {
  id: string;
  name: string;
  size: number;
  status: "queued" | "uploading" | "done" | "error";
  progress: number;
  error: string | null;
  /** Set when the server recognised the file as one already in the assets: that asset's name. */
  existingAs: string | null;
};

const CONCURRENCY = 2;
const DONE_LINGER_MS = 2500;

const IMAGE_LIMIT = 25 * 1024 * 1024;
const VIDEO_LIMIT = 200 * 1024 * 1024;
const AUDIO_LIMIT = 30 * 1024 * 1024;

/** What the browser can tell before sending: a clearly unsupported type or a size over the limit. */
export function precheckUpload(file: File): string | null {
  const type = file.type.toLowerCase();
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? "";
  const looksImage = type.startsWith("image/") || ["png", "jpg", "jpeg", "webp", "gif"].includes(ext);
  const looksVideo = type.startsWith("video/") || ["mp4", "m4v", "webm"].includes(ext);
  const looksAudio = type.startsWith("audio/") || ext === "mp3";
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > VIDEO_LIMIT) return `${file.name} is larger than 200 MB, the most Atelier takes.`;
  if (looksImage && file.size > IMAGE_LIMIT) return `${file.name} is larger than 25 MB, the most an image can be.`;
  if (looksAudio && file.size > AUDIO_LIMIT) return `${file.name} is larger than 30 MB, the most an audio file can be.`;
  // Unknown or missing types go to the server, which reads the content; only obvious non-media stop here.
  if (!looksImage && !looksVideo && !looksAudio && type && !type.startsWith("application/octet-stream")) {
    return `${file.name} isn't an image, video or audio file. Atelier takes PNG, JPEG, WebP and GIF images, MP4 and WebM videos, and MP3 audio.`;
  }
  return null;
}

export function useUploadQueue(slug: string, { onUploaded }: { onUploaded: (asset: UploadedAssetDTO) => void }) {
  const [items, setItems] = useState<QueuedUpload[]>([]);
  /** Bumped when an upload finishes, so the next waiting file starts (see the effect below). */
  const [finished, setFinished] = useState(0);
  const waiting = useRef<{ id: string; file: File }[]>([]);
  const running = useRef(0);
  const controllers = useRef(new Map<string, AbortController>());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const uploaded = useRef(onUploaded);
  useEffect(() => {
    uploaded.current = onUploaded;
  }, [onUploaded]);

  useEffect(() => {
    const live = controllers.current;
    const pending = timers.current;
    return () => {
      for (const controller of live.values()) controller.abort();
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);

  const update = useCallback((id: string, patch: Partial<QueuedUpload>) => {
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...patch } : item)));
  }, []);
  const drop = useCallback((id: string) => setItems((list) => list.filter((item) => item.id !== id)), []);

  const pump = useCallback(() => {
    while (running.current < CONCURRENCY && waiting.current.length > 0) {
      const next = waiting.current.shift()!;
      running.current += 1;
      const controller = new AbortController();
      controllers.current.set(next.id, controller);
      update(next.id, { status: "uploading", progress: 0 });
      uploadAsset(slug, next.file, { signal: controller.signal, onProgress: (progress) => update(next.id, { progress }) })
        .then((asset) => {
          update(next.id, { status: "done", progress: 1, existingAs: asset.existing ? asset.name : null });
          uploaded.current(asset);
          if (asset.existing) return;
          const timer = setTimeout(() => {
            timers.current.delete(timer);
            drop(next.id);
          }, DONE_LINGER_MS);
          timers.current.add(timer);
        })
        .catch((error: unknown) => {
          if (error instanceof DOMException && error.name === "AbortError") drop(next.id);
          else update(next.id, { status: "error", error: error instanceof Error ? error.message : "The upload failed." });
        })
        .finally(() => {
          running.current -= 1;
          controllers.current.delete(next.id);
          setFinished((n) => n + 1);
        });
    }
  }, [slug, update, drop]);

  useEffect(() => {
    if (finished > 0) pump();
  }, [finished, pump]);

  const add = useCallback(
    (files: readonly File[]) => {
      const fresh: QueuedUpload[] = [];
      for (const file of files) {
        const id = crypto.randomUUID();
        const problem = precheckUpload(file);
        fresh.push({ id, name: file.name || "Pasted file", size: file.size, status: problem ? "error" : "queued", progress: 0, error: problem, existingAs: null });
        if (!problem) waiting.current.push({ id, file });
      }
      setItems((list) => [...fresh, ...list]);
      pump();
    },
    [pump],
  );

  const cancel = useCallback(
    (id: string) => {
      const queued = waiting.current.findIndex((item) => item.id === id);
      if (queued >= 0) {
        waiting.current.splice(queued, 1);
        drop(id);
      } else {
        controllers.current.get(id)?.abort();
      }
    },
    [drop],
  );

  return { items, add, cancel, dismiss: drop };
}
