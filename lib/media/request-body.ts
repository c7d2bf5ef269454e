import "server-only";
import type { z } from "zod";
import { UserError } from "@/lib/result";
import { findInputProblem, UNSTORABLE_MESSAGE } from "@/lib/validation/primitives";

/**
 * Request bodies, bounded. What route handlers that take a body promise:
 * - they authorize before reading it (the wrapper, then the permission), so a refused caller's body is never read;
 * - a declared Content-Length over the cap is refused before reading; without one (chunked), the bytes are counted
 *   as they arrive and reading stops the moment the count passes the cap;
 * - an answer given before the body was read to its end carries `Connection: close` (closingUnlessRead), so Node
 *   closes the connection once the answer is sent instead of reading, and discarding, whatever else the client
 *   sends (which has no end when it is chunked).
 *
 * Reading stops by no longer pulling from `request.body`, never by cancelling it: cancelling destroys the socket
 * (Node's IncomingMessage is the stream's source), and the client would get a reset instead of the 413.
 */

const readToEnd = new WeakSet<Request>();

/** An error whose status is the HTTP answer (the API wrapper keeps it), with a sentence for the caller. */
export class RequestBodyError extends UserError {
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message, "invalid_input");
    this.name = "RequestBodyError";
  }
}

/** The Content-Length the client declared, or null when there is none (a chunked body) or it is not a number. */
export function declaredLength(request: Request): number | null {
  const value = request.headers.get("content-length");
  return value !== null && /^\d{1,16}$/.test(value.trim()) ? Number(value) : null;
}

/** Records that the request's body was read to its end, so the connection may be kept alive. */
export function markBodyRead(request: Request): void {
  readToEnd.add(request);
}

/** The answer, with `Connection: close` when the request has a body that was not read to its end. */
export function closingUnlessRead(request: Request, response: Response): Response {
  if (request.body !== null && !readToEnd.has(request)) response.headers.set("Connection", "close");
  return response;
}

/**
 * The whole body, at most `maxBytes`: refused at once when its declared length is larger, otherwise counted while
 * streaming; the chunk that passes the cap is the last one read. Throws RequestBodyError 413 with `tooLarge`.
 */
export async function readBody(request: Request, maxBytes: number, tooLarge: string): Promise<Uint8Array<ArrayBuffer>> {
  const declared = declaredLength(request);
  if (declared !== null && declared > maxBytes) throw new RequestBodyError(tooLarge, 413);
  if (!request.body) {
    markBodyRead(request);
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw new RequestBodyError("The request was interrupted before its body arrived.", 400);
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > maxBytes) throw new RequestBodyError(tooLarge, 413);
      chunks.push(next.value);
    }
  } finally {
    reader.releaseLock();
  }
  markBodyRead(request);
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * A JSON body checked like an action's input, for a POST route that has authorized its caller: at most `maxBytes`
 * read (413 past it), JSON (400 otherwise), no control characters and nothing absurdly large or deep anywhere in it
 * (422, lib/validation/primitives.ts), then the schema (422 with its first message). The refusals are thrown as
 * RequestBodyError / UserError, which the API wrapper (withViewer) answers with their status and sentence.
 */
export async function readJsonInput<T>(
  request: Request,
  schema: z.ZodType<T>,
  text: { maxBytes: number; tooLarge: string; subject: string; fallback: string },
): Promise<T> {
  const body = await readBody(request, text.maxBytes, text.tooLarge);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new RequestBodyError("The request body must be JSON.", 400);
  }
  const problem = findInputProblem(raw);
  if (problem) throw new UserError(problem.kind === "characters" ? `${text.subject} ${UNSTORABLE_MESSAGE}.` : text.tooLarge, "invalid_input");
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UserError(parsed.error.issues[0]?.message ?? text.fallback, "invalid_input");
  return parsed.data;
}
