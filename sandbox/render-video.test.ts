import { afterEach, describe, expect, it, vi } from "vitest";
import { probeMp4 } from "./probe";
import { encodeMp4, encodeMp4InProcess } from "./render-video";

const WIDTH = 320;
const HEIGHT = 240;
const FRAMES = 24;

/** A moving gradient: real content for the encoder, different in every frame. */
function gradient(index: number): Uint8Array {
  const out = new Uint8Array(WIDTH * HEIGHT * 4);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const d = (y * WIDTH + x) * 4;
      out[d] = (x + index * 8) & 255;
      out[d + 1] = (y * 2) & 255;
      out[d + 2] = (x ^ y) & 255;
      out[d + 3] = 255;
    }
  }
  return out;
}

/** The file with the creation/modification times of mvhd, tkhd and mdhd zeroed (the encoder stamps the clock). */
function withoutTimestamps(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const walk = (start: number, end: number) => {
    let at = start;
    while (at + 8 <= end) {
      const size = copy.readUInt32BE(at);
      const type = copy.toString("latin1", at + 4, at + 8);
      if (size < 8 || at + size > end) break;
      if (type === "moov" || type === "trak" || type === "mdia") walk(at + 8, at + size);
      if (type === "mvhd" || type === "tkhd" || type === "mdhd") copy.fill(0, at + 12, at + 12 + (copy[at + 8] === 1 ? 16 : 8));
      at += size;
    }
  };
  walk(0, copy.length);
  return copy;
}

function expectMp4(bytes: Buffer, width: number, height: number, frames: number) {
  expect(bytes.toString("latin1", 4, 8)).toBe("ftyp");
  const info = probeMp4(bytes);
  expect(info).toMatchObject({ width, height, frames });
}

describe("encodeMp4", () => {
  afterEach(() => {
    vi.doUnmock("node:worker_threads");
    vi.resetModules();
  });

  it("encodes off the main thread: the event loop keeps turning while the frames are encoded", async () => {
    // An immediate that re-arms itself counts event-loop turns. In-process, everything from the first frame to the
    // result is one synchronous run of WASM calls (frame() here returns synchronously), so no turn can happen in
    // between; with the worker, the main thread waits for the worker's messages and the loop turns meanwhile.
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const shared = gradient(0);
    let ticksAtFirstFrame = -1;
    try {
      const bytes = await encodeMp4(WIDTH, HEIGHT, FRAMES, (i) => {
        if (i === 0) ticksAtFirstFrame = ticks;
        shared.set(gradient(i)); // one array reused for every frame, as renderVideoAnyone does
        return shared;
      });
      const ticksDuringEncode = ticks - ticksAtFirstFrame;
      expect(ticksAtFirstFrame).toBeGreaterThanOrEqual(0);
      expect(ticksDuringEncode).toBeGreaterThan(0);
      expectMp4(bytes, WIDTH, HEIGHT, FRAMES);
      // The caller's array was copied, not transferred away.
      expect(shared.byteLength).toBe(WIDTH * HEIGHT * 4);
    } finally {
      running = false;
    }
  });

  it("produces the same file as the in-process encoder (same settings; only the header clock differs)", async () => {
    const [viaWorker, inProcess] = [await encodeMp4(WIDTH, HEIGHT, 6, gradient), await encodeMp4InProcess(WIDTH, HEIGHT, 6, gradient)];
    expect(viaWorker.length).toBe(inProcess.length);
    expect(withoutTimestamps(viaWorker).equals(withoutTimestamps(inProcess))).toBe(true);
  });

  it("serialises concurrent encodes and gives each its own file", async () => {
    const [a, b] = await Promise.all([encodeMp4(WIDTH, HEIGHT, 3, gradient), encodeMp4(160, 96, 5, () => new Uint8Array(160 * 96 * 4).fill(90))]);
    expectMp4(a, WIDTH, HEIGHT, 3);
    expectMp4(b, 160, 96, 5);
  });

  it("fails the encode when a frame cannot be rendered, and the next encode still works", async () => {
    await expect(
      encodeMp4(WIDTH, HEIGHT, 4, (i) => {
        if (i === 2) throw new Error("frame boom");
        return gradient(i);
      }),
    ).rejects.toThrow("frame boom");
    expectMp4(await encodeMp4(WIDTH, HEIGHT, 2, gradient), WIDTH, HEIGHT, 2);
    // The in-process fallback reports the frame's error too (not the WASM abort of deleting an unfinished encoder).
    const failing = (i: number) => {
      if (i === 1) throw new Error("frame boom");
      return gradient(i);
    };
    await expect(encodeMp4InProcess(WIDTH, HEIGHT, 3, failing)).rejects.toThrow("frame boom");
    expectMp4(await encodeMp4InProcess(WIDTH, HEIGHT, 2, gradient), WIDTH, HEIGHT, 2);
  });

  it("falls back to in-process encoding when the worker cannot be constructed", async () => {
    vi.resetModules();
    vi.doMock("node:worker_threads", () => ({
      Worker: class {
        constructor() {
          throw new Error("no threads here");
        }
      },
    }));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { encodeMp4: encode } = await import("./render-video");
    expectMp4(await encode(WIDTH, HEIGHT, 3, gradient), WIDTH, HEIGHT, 3);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("no threads here"));
    warn.mockRestore();
  });

  it("falls back to in-process encoding when the worker dies before it is ready", async () => {
    vi.resetModules();
    vi.doMock("node:worker_threads", async (importOriginal) => {
      const actual = await importOriginal<typeof import("node:worker_threads")>();
      return {
        ...actual,
        // A worker whose script fails at load, as a missing or broken file would.
        Worker: class extends actual.Worker {
          constructor(_file: string, options: import("node:worker_threads").WorkerOptions) {
            super("throw new Error('broken worker script')", { ...options, eval: true });
          }
        },
      };
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { encodeMp4: encode } = await import("./render-video");
    expectMp4(await encode(WIDTH, HEIGHT, 3, gradient), WIDTH, HEIGHT, 3);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("broken worker script"));
    warn.mockRestore();
  });
});
