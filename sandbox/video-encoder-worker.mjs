// @ts-check
/**
 * The H.264 MP4 encoder's worker thread (started by render-video.ts). addFrameRgba and finalize are long
 * synchronous WASM calls: run here, they leave the event loop of the server that mounts the sandbox free.
 *
 * Plain JavaScript on purpose, importing nothing from the repo: Node loads this file as is, under vitest, tsx and
 * the Next.js production build alike (a TypeScript file would not exist in a bundle).
 *
 * Protocol. workerData: the encoder's settings ({ width, height, frameRate, quantizationParameter, speed,
 * groupOfPictures, outputFilename }). Worker → main: { type: "ready" } once the encoder is initialised;
 * { type: "ack" } after each frame; { type: "done", bytes } (an ArrayBuffer, transferred); { type: "error", phase,
 * message } where phase "load" means the encoder package could not be loaded here (the caller may then encode
 * in-process) and "encode" means the encode itself failed. Main → worker: { type: "frame", data } (a Uint8Array of
 * width*height*4 RGBA bytes, transferred) and { type: "finish" }. The main thread terminates the worker when the
 * encode is over (one worker per encode, so the WASM heap is freed with it).
 */
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";

const port = parentPort;
if (!port) throw new Error("video-encoder-worker.mjs must run as a worker thread");

/** @param {"load" | "encode"} phase @param {unknown} error */
function fail(phase, error) {
  port.postMessage({ type: "error", phase, message: error instanceof Error ? error.message : String(error) });
}

/** @returns {Promise<any>} */
async function createEncoder() {
  const require = createRequire(import.meta.url);
  const mod = require("h264-mp4-encoder");
  const create = mod.createH264MP4Encoder ?? mod.default?.createH264MP4Encoder;
  if (typeof create !== "function") throw new Error("h264-mp4-encoder: createH264MP4Encoder not found");
  return create();
}

async function main() {
  let encoder;
  try {
    encoder = await createEncoder();
  } catch (error) {
    fail("load", error);
    return;
  }
  const settings = workerData;
  try {
    encoder.width = settings.width;
    encoder.height = settings.height;
    encoder.frameRate = settings.frameRate;
    encoder.quantizationParameter = settings.quantizationParameter;
    encoder.speed = settings.speed;
    encoder.groupOfPictures = settings.groupOfPictures;
    encoder.outputFilename = settings.outputFilename;
    encoder.initialize();
  } catch (error) {
    encoder.delete();
    fail("encode", error);
    return;
  }
  port.on("message", (message) => {
    try {
      if (message.type === "frame") {
        encoder.addFrameRgba(message.data);
        port.postMessage({ type: "ack" });
      } else if (message.type === "finish") {
        encoder.finalize();
        const file = encoder.FS.readFile(encoder.outputFilename);
        try {
          encoder.FS.unlink(encoder.outputFilename);
        } catch {
          // already gone
        }
        encoder.delete();
        // readFile's result is a fresh copy out of the WASM heap: hand its buffer over without another copy.
        const bytes = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength ? file.buffer : file.slice().buffer;
        port.postMessage({ type: "done", bytes }, [bytes]);
      }
    } catch (error) {
      fail("encode", error);
    }
  });
  port.postMessage({ type: "ready" });
}

main().catch((error) => fail("encode", error));
