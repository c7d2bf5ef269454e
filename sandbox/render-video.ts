/** Real H.264 MP4s (WASM encoder, no audio track): video_anyone animates its input, narrator a talking head. */
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { escapeXml, hash32, palette } from "./render-image";
import { withLock } from "./store";

export const VIDEO_FPS = 12;

interface Encoder {
  width: number;
  height: number;
  frameRate: number;
  quantizationParameter: number;
  speed: number;
  groupOfPictures: number;
  outputFilename: string;
  initialize(): void;
  addFrameRgba(buffer: Uint8Array): void;
  finalize(): void;
  delete(): void;
  FS: { readFile(path: string): Uint8Array; unlink(path: string): void };
}

type EncoderModule = { createH264MP4Encoder?: () => Promise<Encoder>; default?: { createH264MP4Encoder?: () => Promise<Encoder> } };

async function createEncoder(): Promise<Encoder> {
  const mod = (await import("h264-mp4-encoder")) as unknown as EncoderModule;
  const create = mod.createH264MP4Encoder ?? mod.default?.createH264MP4Encoder;
  if (!create) throw new Error("h264-mp4-encoder: createH264MP4Encoder not found");
  return create();
}

/** Encodes frames (RGBA, width*height*4 each) produced by `frame(i)`; one encode at a time (shared WASM FS). */
export async function encodeMp4(width: number, height: number, frameCount: number, frame: (index: number) => Promise<Uint8Array> | Uint8Array): Promise<Buffer> {
  return withLock("h264-encoder", async () => {
    const encoder = await createEncoder();
    try {
      encoder.width = width;
      encoder.height = height;
      encoder.frameRate = VIDEO_FPS;
      encoder.quantizationParameter = 33;
      encoder.speed = 10;
      encoder.groupOfPictures = VIDEO_FPS * 2;
      encoder.outputFilename = `sandbox-${randomBytes(6).toString("hex")}.mp4`;
      encoder.initialize();
      for (let i = 0; i < frameCount; i++) encoder.addFrameRgba(await frame(i));
      encoder.finalize();
      const bytes = Buffer.from(encoder.FS.readFile(encoder.outputFilename));
      try {
        encoder.FS.unlink(encoder.outputFilename);
      } catch {
        // already gone
      }
      return bytes;
    } finally {
      encoder.delete();
    }
  });
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
