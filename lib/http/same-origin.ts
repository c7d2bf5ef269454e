/**
 * Whether a state-changing request comes from Atelier's own pages: its Origin names this host, or (a browser that
 * sends no Origin) Sec-Fetch-Site says same-origin. Server actions get this check from Next; proxy.ts applies it to
 * every state-changing route handler under /api/w/, so a page on another site cannot make a member's browser upload,
 * delete or download anything with their cookies. The host is the request's own, or the one a trusted proxy forwarded
 * (scripts/server.mjs drops X-Forwarded-Host from anyone else).
 */
export function isSameOrigin(headers: Headers, url?: string): boolean {
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? (url ? new URL(url).host : null);
  const origin = headers.get("origin");
  if (origin === null) return headers.get("sec-fetch-site") === "same-origin";
  if (!host || origin === "null") return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
