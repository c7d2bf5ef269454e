/**
 * The Content-Security-Policy of every page (set by proxy.ts with a fresh nonce per request). What it promises:
 * - Scripts run only from this origin and only with this response's nonce ('strict-dynamic' lets Next's own chunks
 *   load what they import); no inline script without the nonce, no eval (except in development, where React's dev
 *   tools need it), no third-party origin anywhere.
 * - Nothing may frame the studio (frame-ancestors 'none'), forms post only here, <base> cannot be changed, no plugins.
 * - Styles may be inline (components set style attributes, which nonces cannot cover); images and media come from
 *   this origin, or blob:/data: URLs made in the browser (previews of files being uploaded).
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "manifest-src 'self'",
  ];
  if (options.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Sent only over https (browsers ignore it over http). A year; subdomains are left to the admin's own policy. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000";
