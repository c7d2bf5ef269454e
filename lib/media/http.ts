import "server-only";
import { storage, type ByteRange } from "@/lib/storage/storage";

/**
 * Answers of the workspace API route handlers (app/api/w/[workspace]/**): JSON, `{ error }` with a status (never a
 * stack), and stored files streamed with Range support.
 */
export function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });
}

export function ok(data: unknown): Response {
  return Response.json(data, { headers: { "Cache-Control": "no-store" } });
}

/** `inline|attachment; filename="<ascii>"; filename*=UTF-8''<name>` (RFC 6266), safe for any name. */
export function contentDisposition(type: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Parses a single `bytes=a-b` range; null = whole file; "invalid" = 416. */
export function parseRange(header: string | null, size: number): ByteRange | null | "invalid" {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) return "invalid";
  return { start, end };
}

/** How long a download link to the object store stays valid: the browser follows it at once. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

/**
 * A download (an attachment with a readable name) of a file the caller was just authorized for. When the store can
 * sign links (S3), a redirect to a presigned GET valid for minutes that carries the Content-Disposition: the bytes go
 * from the bucket to the browser without passing through this server (docs/benchmarks.md, "Downloads from an object
 * store"). Otherwise, or for a HEAD, streamed like any file. The redirect itself is never cached.
 */
export async function downloadStored(request: Request, key: string, filename: string): Promise<Response> {
  const store = storage();
  if (!store.presignedGetUrl || request.method !== "GET") return streamStored(request, key, { immutable: true, filename, disposition: "attachment" });
  const stat = await store.stat(key);
  if (!stat) return jsonError(404, "Not found.");
  const location = await store.presignedGetUrl(key, {
    expiresInSeconds: DOWNLOAD_LINK_SECONDS,
    contentDisposition: contentDisposition("attachment", filename),
    contentType: stat.contentType,
  });
  return new Response(null, { status: 302, headers: { Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}

export async function streamStored(
  request: Request,
  key: string,
  options: { immutable: boolean; filename?: string; disposition?: "inline" | "attachment" },
): Promise<Response> {
  const stat = await storage().stat(key);
  if (!stat) return jsonError(404, "Not found.");
  const range = parseRange(request.headers.get("range"), stat.size);
  const headers = new Headers({
    "Content-Type": stat.contentType,
    "X-Content-Type-Options": "nosniff",
    "Accept-Ranges": "bytes",
    "Cache-Control": options.immutable ? "private, max-age=31536000, immutable" : "private, max-age=3600",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  if (options.filename) headers.set("Content-Disposition", contentDisposition(options.disposition ?? "inline", options.filename));
  if (range === "invalid") {
    headers.set("Content-Range", `bytes */${stat.size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${stat.size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
  } else {
    headers.set("Content-Length", String(stat.size));
  }
  const status = range ? 206 : 200;
  // A HEAD opens nothing: a body opened and never read would hold a file descriptor, or an object store's connection.
  if (request.method === "HEAD") return new Response(null, { status, headers });
  const object = await storage().get(key, range ?? undefined);
  if (!object) return jsonError(404, "Not found.");
  return new Response(object.stream, { status, headers });
}
