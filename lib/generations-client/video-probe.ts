/**
 * Reads a video's size, duration and frame rate in the browser (mp4box on the file's bytes), so a video the narrator
 * would refuse is caught before it is uploaded or paid for. MP4 and MOV only; other containers return null and the
 * server's own probe decides. The file is fed in slices and parsing stops at the `moov` box, so a large video is not
 * read whole into memory unless its index sits at the end.
 */
import type * as Mp4Box from "mp4box";

export type VideoProbe = { width: number; height: number; durationMs: number; frames: number; frameRate: number };

const SLICE_BYTES = 4 * 1024 * 1024;

export async function probeVideo(file: Blob, sliceBytes = SLICE_BYTES): Promise<VideoProbe | null> {
  // mp4box (about 40 KB compressed, the largest piece of a tool page) is fetched when a video is first chosen.
  // If that fetch fails, the answer is "unknown", as for other containers, and the server's probe decides.
  let mp4box: typeof Mp4Box;
  try {
    mp4box = await import("mp4box");
  } catch {
    return null;
  }
  const { createFile, MP4BoxBuffer } = mp4box;
  const mp4 = createFile();
  let result: VideoProbe | null = null;
  let ready = false;
  let failed = false;
  mp4.onReady = (movie) => {
    ready = true;
    const track = movie.videoTracks[0];
    if (!track) return;
    const seconds = track.timescale ? track.duration / track.timescale : movie.timescale ? movie.duration / movie.timescale : 0;
    const width = track.video?.width ?? track.track_width;
    const height = track.video?.height ?? track.track_height;
    if (!seconds || !track.nb_samples || !width || !height) return;
    result = { width, height, durationMs: Math.round(seconds * 1000), frames: track.nb_samples, frameRate: track.nb_samples / seconds };
  };
  mp4.onError = () => {
    failed = true;
  };
  try {
    let offset = 0;
    while (!ready && !failed && offset < file.size) {
      const bytes = await file.slice(offset, offset + sliceBytes).arrayBuffer();
      const next = mp4.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes, offset));
      offset = typeof next === "number" && next > offset ? next : offset + bytes.byteLength;
    }
    if (!ready) mp4.flush();
  } catch {
    return null;
  }
  return result;
}

/** Width, height and duration of any video or audio the browser can play (no frame rate). */
export function probeMediaElement(file: Blob, kind: "video" | "audio"): Promise<{ width: number | null; height: number | null; durationMs: number | null }> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const element = document.createElement(kind);
    const done = (value: { width: number | null; height: number | null; durationMs: number | null }) => {
      URL.revokeObjectURL(url);
      element.removeAttribute("src");
      resolve(value);
    };
    element.preload = "metadata";
    element.onloadedmetadata = () => {
      const duration = Number.isFinite(element.duration) ? Math.round(element.duration * 1000) : null;
      if (element instanceof HTMLVideoElement) done({ width: element.videoWidth || null, height: element.videoHeight || null, durationMs: duration });
      else done({ width: null, height: null, durationMs: duration });
    };
    element.onerror = () => done({ width: null, height: null, durationMs: null });
    element.src = url;
  });
}
