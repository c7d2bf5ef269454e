import "server-only";
import { once } from "node:events";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { MAX_UPLOAD_BYTES, type UploadSource } from "@/lib/media/upload";
import { declaredLength, markBodyRead, RequestBodyError } from "@/lib/media/request-body";

/**
 * The upload route's body: multipart/form-data with one file in a field named "file", parsed as a stream (busboy)
 * and handed to `receive` part by part as it arrives, so nothing is held whole in memory. The caller has authorized the
 * request before calling this: it is the first thing that reads the body.
 *
 * Bounds: a declared Content-Length over UPLOAD_REQUEST_MAX_BYTES is refused without reading; the raw bytes are
 * counted as they arrive and reading stops past the same cap (chunked bodies included); the file's own kind cap is
 * enforced by `receive` (lib/media/upload.ts), and when `receive` refuses the file, reading stops at once. Reading stops by
 * no longer pulling from the body (see lib/media/request-body.ts); the route then closes the connection.
 */

/** Multipart framing (boundaries, part headers) around the one file. */
export const MULTIPART_SLACK_BYTES = 1024 * 1024;
export const UPLOAD_REQUEST_MAX_BYTES = MAX_UPLOAD_BYTES + MULTIPART_SLACK_BYTES;

const FORM_MESSAGE = 'Send the file as multipart/form-data in a field named "file".';
const TOO_LARGE = "Files can be at most 200 MB.";

export async function receiveUpload<T>(request: Request, receive: (file: UploadSource) => Promise<T>): Promise<T> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !request.body) throw new RequestBodyError(FORM_MESSAGE, 400);
  const declared = declaredLength(request);
  if (declared !== null && declared > UPLOAD_REQUEST_MAX_BYTES) throw new RequestBodyError(TOO_LARGE, 413);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: UPLOAD_REQUEST_MAX_BYTES, fields: 16, fieldSize: 4096, parts: 32, headerPairs: 32 },
    });
  } catch {
    throw new RequestBodyError(FORM_MESSAGE, 400); // no boundary, or one busboy can't use
  }

  const stopping = new AbortController();
  let file: Readable | null = null;
  let outcome: Promise<T> | null = null;
  let failure: RequestBodyError | null = null;
  const fail = (error: RequestBodyError) => {
    failure ??= error;
    file?.destroy(error);
    stopping.abort();
  };

  parser.on("file", (name: string, stream: Readable, info: busboy.FileInfo) => {
    // busboy destroys a part's stream with an error when the form breaks off. `receive` learns of it through its reading;
    // an 'error' event with no listener would instead bring the whole server process down.
    stream.on("error", () => undefined);
    if (outcome || name !== "file") {
      stream.resume();
      if (!outcome) fail(new RequestBodyError(FORM_MESSAGE, 400));
      return;
    }
    file = stream;
    outcome = receive({ stream, name: info.filename ?? "", type: info.mimeType ?? "" });
    // `receive` refusing the file (its type, its cap) is the signal to stop reading the body.
    outcome.catch(() => stopping.abort());
  });
  parser.on("error", () => fail(new RequestBodyError(FORM_MESSAGE, 400)));
  const finished = once(parser, "close").catch(() => undefined);

  // Each read races the stop signal, so a refusal answers at once even while the client is slow to send the next
  // bytes; a read left pending is rejected when the reader is released. (Not Promise.race against one long-lived
  // promise: every race would leave a reaction on it holding its chunk, keeping the whole body in memory.)
  const nextChunk = (reader: ReadableStreamDefaultReader<Uint8Array>) =>
    new Promise<ReadableStreamReadResult<Uint8Array> | "stopped">((resolve, reject) => {
      const stop = () => resolve("stopped");
      stopping.signal.addEventListener("abort", stop, { once: true });
      reader.read().then(
        (result) => {
          stopping.signal.removeEventListener("abort", stop);
          resolve(result);
        },
        (error: unknown) => {
          stopping.signal.removeEventListener("abort", stop);
          reject(error);
        },
      );
    });
  const reader = request.body.getReader();
  let received = 0;
  let complete = false;
  try {
    while (!stopping.signal.aborted) {
      let next: ReadableStreamReadResult<Uint8Array> | "stopped";
      try {
        next = await nextChunk(reader);
      } catch {
        fail(new RequestBodyError("The upload was interrupted before the file arrived.", 400));
        break;
      }
      if (next === "stopped") break;
      if (next.done) {
        complete = true;
        break;
      }
      received += next.value.byteLength;
      if (received > UPLOAD_REQUEST_MAX_BYTES) {
        fail(new RequestBodyError(TOO_LARGE, 413));
        break;
      }
      if (!parser.write(next.value)) await once(parser, "drain", { signal: stopping.signal }).catch(() => undefined);
    }
  } finally {
    reader.releaseLock();
  }

  if (complete) {
    markBodyRead(request);
    parser.end(); // a form cut short (no closing boundary) is a parser error: 400
    // busboy closes once the file part has been read to its end; a refused file never is, and `receive` has settled.
    const settled = outcome ? (outcome as Promise<T>).then(() => undefined, () => undefined) : new Promise<void>(() => {});
    await Promise.race([finished, settled]);
  } else {
    parser.destroy();
  }

  if (outcome) {
    // Settle `receive` first, so its temporary file is gone before this answers, whatever happened. A file that was
    // received and stored whole stands, even if something after it in the form was wrong.
    const result = await (outcome as Promise<T>).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (result.ok) return result.value;
    throw failure ?? result.error;
  }
  throw failure ?? new RequestBodyError(FORM_MESSAGE, 400);
}
