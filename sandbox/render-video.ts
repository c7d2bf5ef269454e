/** Real H.264 MP4s (WASM encoder, no audio track): video_anyone animates its input, narrator a talking head. */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import sharp from "sharp";
import { escapeXml, hash32, palette } from "./render-image";
import { withLock } from "./store";

export const VIDEO_FPS = 12;

interface EncoderSettings {
  width: number;
  height: number;
  frameRate: number;
  quantizationParameter: number;
  speed: number;
  groupOfPictures: number;
  outputFilename: string;
}

interface Encoder extends EncoderSettings {
  initialize(): void;
  addFrameRgba(buffer: Uint8Array): void;
  finalize(): void;
  delete(): void;
  FS: { readFile(path: string): Uint8Array; unlink(path: string): void };
}

type EncoderModule = { createH264MP4Encoder?: () => Promise<Encoder>; default?: { createH264MP4Encoder?: () => Promise<Encoder> } };
type FrameSource = (index: number) => Promise<Uint8Array> | Uint8Array;

function encoderSettings(width: number, height: number): EncoderSettings {
  return {
    width,
    height,
    frameRate: VIDEO_FPS,
    quantizationParameter: 33,
    speed: 10,
    groupOfPictures: VIDEO_FPS * 2,
    outputFilename: `sandbox-${randomBytes(6).toString("hex")}.mp4`,
  };
}

/**
 * Encodes frames (RGBA, width*height*4 each) produced by `frame(i)`; one encode at a time per process. The WASM
 * encoder's long synchronous calls run in a worker thread (video-encoder-worker.mjs) so the event loop of the server
 * that mounts the sandbox stays responsive; when no worker can be started the encode runs in-process instead.
 */
export async function encodeMp4(width: number, height: number, frameCount: number, frame: FrameSource): Promise<Buffer> {
  return withLock("h264-encoder", async () => {
    const settings = encoderSettings(width, height);
    const viaWorker = await encodeInWorker(settings, frameCount, frame);
    if (viaWorker !== WORKER_UNAVAILABLE) return viaWorker;
    return encodeInProcess(settings, frameCount, frame);
  });
}

/** The same encode on the calling thread (blocks the event loop while it runs): the fallback, and for comparisons. */
export async function encodeMp4InProcess(width: number, height: number, frameCount: number, frame: FrameSource): Promise<Buffer> {
  return withLock("h264-encoder", () => encodeInProcess(encoderSettings(width, height), frameCount, frame));
}

async function createEncoder(): Promise<Encoder> {
  const mod = (await import("h264-mp4-encoder")) as unknown as EncoderModule;
  const create = mod.createH264MP4Encoder ?? mod.default?.createH264MP4Encoder;
  if (!create) throw new Error("h264-mp4-encoder: createH264MP4Encoder not found");
  return create();
}

/** Callers hold the "h264-encoder" lock: the module's WASM file system is shared by every encoder of the thread. */
async function encodeInProcess(settings: EncoderSettings, frameCount: number, frame: FrameSource): Promise<Buffer> {
  const encoder = await createEncoder();
  let finalized = false;
  try {
    Object.assign(encoder, settings);
    encoder.initialize();
    for (let i = 0; i < frameCount; i++) encoder.addFrameRgba(await frame(i));
    encoder.finalize();
    finalized = true;
    return Buffer.from(encoder.FS.readFile(settings.outputFilename));
  } finally {
    // Deleting an encoder that was not finalised aborts the WASM module, which would hide the original error.
    try {
      if (!finalized) encoder.finalize();
    } catch {
      // the original error is the one to report
    }
    try {
      encoder.FS.unlink(settings.outputFilename);
    } catch {
      // never written, or already gone
    }
    encoder.delete();
  }
}

// ---- worker thread ----

const WORKER_FILE = "video-encoder-worker.mjs";
/** Frames handed to the worker and not yet encoded: one being encoded, one waiting (bounds memory at 1080x1920). */
const MAX_FRAMES_IN_FLIGHT = 2;
const WORKER_UNAVAILABLE = Symbol("worker unavailable");

type WorkerMessage = { type: "ready" } | { type: "ack" } | { type: "done"; bytes: ArrayBuffer } | { type: "error"; phase: "load" | "encode"; message: string };

let warnedUnavailable = false;

function warnUnavailable(reason: unknown): typeof WORKER_UNAVAILABLE {
  if (!warnedUnavailable) {
    warnedUnavailable = true;
    console.warn(`[sandbox] video encoder worker unavailable, encoding in-process: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
  return WORKER_UNAVAILABLE;
}

/**
 * The worker is plain JavaScript beside this file. Found on disk at run time, not through the module graph: a
 * bundler (the Next.js build) must neither rewrite nor bundle it, and this module's own URL points into the bundle
 * there, so the repository's sandbox/ folder under the working directory (the app runs from the repo root) is the
 * second place to look.
 */
function workerFile(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), WORKER_FILE));
  } catch {
    // not a file: URL (bundled)
  }
  candidates.push(path.join(process.cwd(), "sandbox", WORKER_FILE));
  return candidates.find((file) => existsSync(file)) ?? null;
}

/** Worker events as a queue of messages read one at a time; an error or exit fails the pending and later reads. */
class WorkerInbox {
  private readonly messages: WorkerMessage[] = [];
  private waiter: { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(worker: Worker) {
    worker.on("message", (message: WorkerMessage) => {
      if (this.waiter) {
        const { resolve } = this.waiter;
        this.waiter = null;
        resolve(message);
      } else this.messages.push(message);
    });
    worker.on("error", (error: Error) => this.fail(error));
    worker.on("exit", (code: number) => this.fail(new Error(`video encoder worker exited (code ${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = null;
      reject(this.failure);
    }
  }

  next(): Promise<WorkerMessage> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }
}

async function encodeInWorker(settings: EncoderSettings, frameCount: number, frame: FrameSource): Promise<Buffer | typeof WORKER_UNAVAILABLE> {
  const file = workerFile();
  if (!file) return warnUnavailable(`${WORKER_FILE} not found`);
  let worker: Worker;
  try {
    // Not `new Worker(file)`: the Next.js build (Turbopack) takes that for a worker entry to bundle, resolves the
    // computed path to the whole project and fails (a turbopackIgnore comment does not help). Node loads the file.
    worker = Reflect.construct(Worker, [file, { workerData: settings }]) as Worker;
  } catch (error) {
    return warnUnavailable(error);
  }
  const inbox = new WorkerInbox(worker);
  try {
    let first: WorkerMessage;
    try {
      first = await inbox.next();
    } catch (error) {
      return warnUnavailable(error); // failed to start: nothing consumed yet
    }
    if (first.type === "error") {
      if (first.phase === "load") return warnUnavailable(first.message);
      throw new Error(`video encoder: ${first.message}`);
    }
    if (first.type !== "ready") throw new Error(`video encoder worker: unexpected ${first.type}`);

    const expect = async (type: "ack" | "done"): Promise<WorkerMessage> => {
      const message = await inbox.next();
      if (message.type === "error") throw new Error(`video encoder: ${message.message}`);
      if (message.type !== type) throw new Error(`video encoder worker: expected ${type}, got ${message.type}`);
      return message;
    };
    let inFlight = 0;
    for (let i = 0; i < frameCount; i++) {
      if (inFlight >= MAX_FRAMES_IN_FLIGHT) {
        await expect("ack");
        inFlight--;
      }
      // A copy, transferred: callers may reuse or cache the array they return (a transfer would detach it).
      const data = new Uint8Array(await frame(i));
      worker.postMessage({ type: "frame", data }, [data.buffer]);
      inFlight++;
    }
    worker.postMessage({ type: "finish" });
    for (; inFlight > 0; inFlight--) await expect("ack");
    const done = (await expect("done")) as Extract<WorkerMessage, { type: "done" }>;
    return Buffer.from(done.bytes);
  } finally {
    // Never left running: a worker would keep a process (a test run, a script) alive.
    await worker.terminate().catch(() => undefined);
  }
}

/** A slow zoom-in with a gentle pan across the input image. */
export async function renderVideoAnyone(input: Buffer, width: number, height: number, duration: number): Promise<Buffer> {
  const margin = 1.25;
  const sw = Math.round(width * margin);
  const sh = Math.round(height * margin);
  const source = await sharp(input).resize(sw, sh, { fit: "cover" }).ensureAlpha().raw().toBuffer();
  const frames = Math.round(duration * VIDEO_FPS);
  const out = new Uint8Array(width * height * 4);
  return encodeMp4(width, height, frames, (i) => {
    const t = frames <= 1 ? 0 : i / (frames - 1);
    const zoom = margin - (margin - 1) * t; // window size relative to output
    const cw = width * zoom;
    const ch = height * zoom;
    const x0 = (sw - cw) * (0.5 + 0.4 * (t - 0.5));
    const y0 = (sh - ch) * 0.5;
    const sx = cw / width;
    const sy = ch / height;
    for (let y = 0; y < height; y++) {
      const srcY = Math.min(sh - 1, Math.floor(y0 + y * sy));
      for (let x = 0; x < width; x++) {
        const srcX = Math.min(sw - 1, Math.floor(x0 + x * sx));
        const s = (srcY * sw + srcX) * 4;
        const d = (y * width + x) * 4;
        out[d] = source[s]!;
        out[d + 1] = source[s + 1]!;
        out[d + 2] = source[s + 2]!;
        out[d + 3] = 255;
      }
    }
    return out;
  });
}

/** A talking-head-like animation with the script's words as captions. */
export async function renderNarrator(input: {
  width: number;
  height: number;
  duration: number;
  words: string[];
  voice: string;
  face?: Buffer;
}): Promise<Buffer> {
  const { width: w, height: h } = input;
  const frames = Math.max(1, Math.round(input.duration * VIDEO_FPS));
  const colors = palette(input.voice, hash32(input.words.join(" ")), 3);
  const u = Math.min(w, h);
  const headR = u * 0.22;
  const cx = w / 2;
  const cy = h * 0.42;
  const faceHref = input.face
    ? `data:image/png;base64,${(await sharp(input.face).resize(Math.round(headR * 2), Math.round(headR * 2), { fit: "cover" }).png().toBuffer()).toString("base64")}`
    : undefined;
  const groups: string[] = [];
  for (let i = 0; i < input.words.length; i += 4) groups.push(input.words.slice(i, i + 4).join(" "));
  if (groups.length === 0) groups.push("");
  const cache = new Map<string, Uint8Array>();
  const font = Math.max(10, Math.round(u / 16));
  return encodeMp4(w, h, frames, async (i) => {
    const t = i / frames;
    const group = Math.min(groups.length - 1, Math.floor(t * groups.length));
    const mouth = i % 4 === 0 ? 0 : (i % 3) + 1;
    const key = `${group}|${mouth}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const head = faceHref
      ? `<clipPath id="c"><circle cx="${cx}" cy="${cy}" r="${headR}"/></clipPath><image href="${faceHref}" x="${cx - headR}" y="${cy - headR}" width="${headR * 2}" height="${headR * 2}" clip-path="url(#c)"/>`
      : `<circle cx="${cx}" cy="${cy}" r="${headR}" fill="#f1c7a5"/><circle cx="${cx - headR * 0.35}" cy="${cy - headR * 0.2}" r="${headR * 0.09}" fill="#222"/><circle cx="${cx + headR * 0.35}" cy="${cy - headR * 0.2}" r="${headR * 0.09}" fill="#222"/>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
<rect width="${w}" height="${h}" fill="${colors[0]}"/>
<rect y="${cy + headR * 0.9}" x="${cx - headR * 1.4}" width="${headR * 2.8}" height="${h}" rx="${headR * 0.6}" fill="${colors[1]}"/>
${head}
<ellipse cx="${cx}" cy="${cy + headR * 0.45}" rx="${headR * 0.3}" ry="${headR * 0.04 + mouth * headR * 0.06}" fill="#5a1f1f"/>
<rect x="0" y="${h - font * 2.4}" width="${w}" height="${font * 2.4}" fill="#000" fill-opacity="0.55"/>
<text x="${w / 2}" y="${h - font * 0.85}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="${font}" fill="#fff">${escapeXml(groups[group]!)}</text>
</svg>`;
    const raw = new Uint8Array(await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer());
    cache.set(key, raw);
    return raw;
  });
}
