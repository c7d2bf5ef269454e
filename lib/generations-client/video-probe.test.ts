import { describe, expect, it } from "vitest";
import { probeVideo } from "@/lib/generations-client/video-probe";
import { narratorVideoProblem } from "@/lib/generations-client/input-checks";

type Encoder = {
  width: number;
  height: number;
  frameRate: number;
  quantizationParameter: number;
  speed: number;
  outputFilename: string;
  initialize(): void;
  addFrameRgba(buffer: Uint8Array): void;
  finalize(): void;
  delete(): void;
  FS: { readFile(path: string): Uint8Array };
};

async function encode(width: number, height: number, fps: number, frames: number): Promise<Blob> {
  const mod = (await import("h264-mp4-encoder")) as unknown as { default?: { createH264MP4Encoder: () => Promise<Encoder> }; createH264MP4Encoder?: () => Promise<Encoder> };
  const create = mod.createH264MP4Encoder ?? mod.default!.createH264MP4Encoder;
  const encoder = await create();
  try {
    Object.assign(encoder, { width, height, frameRate: fps, quantizationParameter: 40, speed: 10, outputFilename: `probe-${fps}.mp4` });
    encoder.initialize();
    const frame = new Uint8Array(width * height * 4).fill(128);
    for (let i = 0; i < frames; i++) encoder.addFrameRgba(frame);
    encoder.finalize();
    return new Blob([new Uint8Array(encoder.FS.readFile(encoder.outputFilename))], { type: "video/mp4" });
  } finally {
    encoder.delete();
  }
}

describe("probeVideo", () => {
  it("reads size, duration and frame rate of a 24 fps MP4", async () => {
    const probe = await probeVideo(await encode(64, 112, 24, 48));
    expect(probe).toMatchObject({ width: 64, height: 112, frames: 48 });
    expect(probe!.frameRate).toBeCloseTo(24, 1);
    expect(probe!.durationMs).toBeGreaterThanOrEqual(1900);
    expect(narratorVideoProblem(probe!)).toBeNull();
  });

  it("finds the index when the file is fed in small slices", async () => {
    const probe = await probeVideo(await encode(64, 64, 60, 60), 997);
    expect(probe!.frameRate).toBeCloseTo(60, 1);
    expect(narratorVideoProblem(probe!)).toMatch(/60 fps; the narrator takes at most 30 fps/);
  });

  it("returns null for bytes that aren't an MP4", async () => {
    expect(await probeVideo(new Blob([new Uint8Array(4096).fill(7)]))).toBeNull();
  });
});
