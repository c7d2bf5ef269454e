/** Helpers for the sandbox's own tests (not used by the sandbox itself). */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { createSandboxHandler, type SandboxHandler } from "./handler";
import { encodeMp4 } from "./render-video";
import type { SandboxOptions } from "./types";

export const ORIGIN = "http://sandbox.test";

export interface TestSandbox {
  handler: SandboxHandler;
  dataDir: string;
  clock: { t: number };
  /** A new handler instance on the same dataDir (a "restart"). */
  restart(): void;
  call(method: string, path: string, init?: { key?: string | null; bearer?: string | null; body?: unknown; raw?: BodyInit; headers?: Record<string, string> }): Promise<Response>;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
  cleanup(): Promise<void>;
}

export async function createTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "atelier-sandbox-"));
  const clock = { t: 1_700_000_000_000 };
  const make = () => createSandboxHandler({ dataDir, testHooks: true, now: () => clock.t, ...options });
  const sandbox: TestSandbox = {
    handler: make(),
    dataDir,
    clock,
    restart() {
      sandbox.handler = make();
    },
    async call(method, url, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (init.key !== null && !url.includes("/qolaba/")) headers["x-api-key"] = init.key ?? "key-a";
      if (init.bearer !== null && url.includes("/qolaba/")) headers.authorization = `Bearer ${init.bearer ?? "token-a"}`;
      let body: BodyInit | undefined = init.raw;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] = "application/json";
      }
      const target = url.startsWith("http") ? url : `${ORIGIN}${options.basePath ?? ""}${url}`;
      return sandbox.handler(new Request(target, { method, headers, body }));
    },
    advance(ms) {
      clock.t += ms;
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
  return sandbox;
}

export async function makePng(width: number, height: number, color = "#3366cc"): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${color}"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#fff"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A small real H.264 MP4 of `frames` frames at `fps`. */
export async function makeMp4(width: number, height: number, frames: number, fps: number): Promise<Buffer> {
  // encodeMp4 uses the sandbox's fixed frame rate; patch the header's timing by encoding at the wanted rate.
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const { createH264MP4Encoder } = require("h264-mp4-encoder") as { createH264MP4Encoder: () => Promise<{ width: number; height: number; frameRate: number; quantizationParameter: number; speed: number; initialize(): void; addFrameRgba(b: Uint8Array): void; finalize(): void; delete(): void; outputFilename: string; FS: { readFile(p: string): Uint8Array } }> };
  if (fps === 12) return encodeMp4(width, height, frames, () => new Uint8Array(width * height * 4).fill(128));
  const encoder = await createH264MP4Encoder();
  encoder.width = width;
  encoder.height = height;
  encoder.frameRate = fps;
  encoder.quantizationParameter = 40;
  encoder.speed = 10;
  encoder.outputFilename = `fixture-${width}x${height}-${fps}-${Date.now()}.mp4`;
  encoder.initialize();
  const frame = new Uint8Array(width * height * 4);
  for (let i = 0; i < frames; i++) encoder.addFrameRgba(frame.fill(i % 255));
  encoder.finalize();
  const bytes = Buffer.from(encoder.FS.readFile(encoder.outputFilename));
  encoder.delete();
  return bytes;
}

/** An MP3 by its magic: an ID3v2 header then MPEG-1 Layer III 128 kbps frames of silence. */
export function makeMp3(frames = 40): Buffer {
  const id3 = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  return Buffer.concat([id3, ...Array.from({ length: frames }, () => frame)]);
}

export async function readJson(response: Response): Promise<Record<string, unknown> & { data: never; err: never; error: never; pagination: never }> {
  return (await response.json()) as never;
}

/** POST an upload, PUT the bytes, and let the asset become ready. Returns the asset id. */
export async function uploadAsset(sandbox: TestSandbox, type: "image" | "video" | "audio", bytes: Buffer, key = "key-a"): Promise<string> {
  const created = await sandbox.call("POST", `/rendernet/pub/v2/assets/upload?type=${type}`, { key, body: { size: { width: 100, height: 100 } } });
  const { data } = (await created.json()) as { data: { id: string; upload_url: string } };
  const put = await sandbox.handler(new Request(data.upload_url, { method: "PUT", body: new Uint8Array(bytes) }));
  if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
  sandbox.advance(1000);
  return data.id;
}
