/**
 * The caller's network address as the rate limiter keys it: the first `X-Forwarded-For` hop (Next sets it to the
 * socket's address when no proxy did), else `X-Real-IP`, else "local". It is only as trustworthy as the proxy in
 * front of the app.
 */
export function clientIp(h: Headers): string {
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || "local";
}
