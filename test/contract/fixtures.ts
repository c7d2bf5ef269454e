import { createRequire } from "node:module";
import sharp from "sharp";

const require = createRequire(import.meta.url);

/** A real PNG of the given size (a diagonal gradient, so edge detectors have something to find). */
export async function makePng(width: number, height: number): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6d5cff"/><stop offset="1" stop-color="#e0609a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 2}" cy="${height / 2.5}" r="${Math.min(width, height) / 5}" fill="#fde68a"/>
  </svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

type Encoder = {
  width: number;
  height: number;
  frameRate: number;
  quantizationParameter: number;
  outputFilename: string;
  FS: { readFile(name: string): Uint8Array };
  initialize(): void;
  addFrameRgba(frame: Uint8Array): void;
  finalize(): void;
  delete(): void;
};

/** A real H.264 MP4 (width and height even). */
export async function makeMp4(width: number, height: number, fps: number, frames: number): Promise<Uint8Array> {
  const { createH264MP4Encoder } = require("h264-mp4-encoder") as { createH264MP4Encoder(): Promise<Encoder> };
  const encoder = await createH264MP4Encoder();
  encoder.width = width;
  encoder.height = height;
  encoder.frameRate = fps;
  encoder.quantizationParameter = 35;
  encoder.initialize();
  const frame = new Uint8Array(width * height * 4);
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < frame.length; i += 4) {
      frame[i] = ((i / 4) % width + f * 3) % 256;
      frame[i + 1] = 90;
      frame[i + 2] = 160;
      frame[i + 3] = 255;
    }
    encoder.addFrameRgba(frame);
  }
  encoder.finalize();
  const bytes = encoder.FS.readFile(encoder.outputFilename);
  encoder.delete();
  return bytes;
}

/** A short MP3: an ID3v2 header followed by silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz). */
export function makeMp3(frames = 40): Uint8Array {
  const id3 = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
  const frameLength = 417;
  const out = new Uint8Array(id3.length + frames * frameLength);
  out.set(id3, 0);
  for (let f = 0; f < frames; f++) out.set([0xff, 0xfb, 0x90, 0x64], id3.length + f * frameLength);
  return out;
}
