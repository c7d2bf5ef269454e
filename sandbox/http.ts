/** Small response helpers shared by the sandbox routes. */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** RenderNet's ErrorEnvelope: `{data: null, err: {message, code}}`. */
export function errorEnvelope(status: number, message: string, code: string, headers: Record<string, string> = {}) {
  return json({ data: null, err: { message, code } }, status, headers);
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, message, "invalid_request");
}

export function notFound(message = "not found"): HttpError {
  return new HttpError(404, message, "not_found");
}

/** Origin + basePath as seen by the caller (honours X-Forwarded-Host / X-Forwarded-Proto). */
export function publicBase(request: Request, basePath: string): string {
  const url = new URL(request.url);
  const forwardedHost = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const forwardedProto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const host = forwardedHost || url.host;
  const proto = forwardedProto || url.protocol.replace(/:$/, "");
  return `${proto}://${host}${basePath}`;
}

/** The most a JSON request body may hold (requests are a few KB; the upload PUT has its own cap). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** A 413 answered before the body was read to its end: the connection is closed rather than drained. */
export function tooLarge(message: string): HttpError {
  return new HttpError(413, message, "too_large", { connection: "close" });
}

/**
 * The body's bytes, at most `maxBytes`: a declared Content-Length over the cap is refused before reading, and
 * otherwise the bytes are counted as they arrive and reading stops at the chunk that passes the cap (chunked bodies
 * too). Throws HttpError 413. Reading stops by releasing the reader, not cancelling it, so the answer still arrives.
 */
export async function readBodyBytes(request: Request, maxBytes: number, message: string): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge(message);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge(message);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

export async function readJsonBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const bytes = await readBodyBytes(request, MAX_JSON_BODY_BYTES, `request body too large (${MAX_JSON_BODY_BYTES / 1024 / 1024} MB max)`);
  const text = Buffer.from(bytes).toString("utf8");
  if (text.trim() === "") return { ok: false, message: "request body is required (JSON)" };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: "request body is not valid JSON" };
  }
}

export interface Page {
  page: number;
  pageSize: number;
}

/** page 1.., page_size 1..50 (defaults 1 / 20). */
export function parsePage(params: URLSearchParams): Page {
  const read = (name: string, fallback: number, max?: number) => {
    const raw = params.get(name);
    if (raw === null || raw === "") return fallback;
    if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be an integer`);
    const value = Number(raw);
    if (value < 1 || (max !== undefined && value > max)) {
      throw badRequest(max === undefined ? `${name} must be at least 1` : `${name} must be between 1 and ${max}`);
    }
    return value;
  };
  return { page: read("page", 1), pageSize: read("page_size", 20, 50) };
}

export function paginate<T>(items: T[], page: Page): { items: T[]; pagination: { page: number; page_size: number; total: number } } {
  const start = (page.page - 1) * page.pageSize;
  return {
    items: items.slice(start, start + page.pageSize),
    pagination: { page: page.page, page_size: page.pageSize, total: items.length },
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
