import "server-only";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * One frame of a video as PNG bytes, for its thumbnail, using the ffmpeg binary that @ffmpeg-installer ships inside
 * its npm package for this platform. Returns null when there is no binary for the platform or the frame cannot be
 * read: the caller then falls back to the run's input image, or no thumbnail.
 */
let binary: string | null | undefined;

function ffmpegPath(): string | null {
  if (binary === undefined) {
    try {
      binary = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
    } catch {
      binary = null;
    }
  }
  return binary;
}

export async function videoFrame(bytes: Uint8Array, atSeconds = 0.5): Promise<Uint8Array | null> {
  if (!ffmpegPath()) return null;
  const dir = await mkdtemp(path.join(tmpdir(), "atelier-frame-"));
  try {
    const input = path.join(dir, "in.video");
    await writeFile(input, bytes);
    return await videoFrameFromFile(input, atSeconds, dir);
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** videoFrame for a video already on disk (an upload being checked): ffmpeg reads the file, nothing is copied. */
export async function videoFrameFromFile(input: string, atSeconds = 0.5, workDir?: string): Promise<Uint8Array | null> {
  const ffmpeg = ffmpegPath();
  if (!ffmpeg) return null;
  const dir = workDir ?? (await mkdtemp(path.join(tmpdir(), "atelier-frame-")));
  try {
    const output = path.join(dir, "frame.png");
    const run = (seek: number) =>
      new Promise<void>((resolve, reject) => {
        // The input is a file of ours in a temporary folder; telling Turbopack so keeps it from tracing the project.
        execFile(
          /*turbopackIgnore: true*/ ffmpeg,
          ["-hide_banner", "-loglevel", "error", "-ss", String(seek), "-i", input, "-frames:v", "1", "-y", output],
          { timeout: 20_000 },
          (error) => (error ? reject(error) : resolve()),
        );
      });
    // Seek a little in (the first frame is often black); a clip shorter than that, or one whose seek lands on no
    // frame (ffmpeg then exits 0 and writes nothing, e.g. a single keyframe), falls back to its first frame.
    await run(atSeconds).catch(() => undefined);
    let frame = await readFile(output).catch(() => null);
    if (!frame?.byteLength) {
      await run(0);
      frame = await readFile(output).catch(() => null);
    }
    return frame && frame.byteLength > 0 ? new Uint8Array(frame) : null;
  } catch {
    return null;
  } finally {
    if (!workDir) await rm(dir, { recursive: true, force: true });
  }
}
