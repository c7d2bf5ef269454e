import { NextResponse, type NextRequest } from "next/server";
import { STRICT_TRANSPORT_SECURITY, contentSecurityPolicy } from "@/lib/http/content-security-policy";

/**
 * Runs before every page: a fresh nonce and the Content-Security-Policy built with it (Next reads the request's
 * policy header and puts the nonce on its own scripts; the root layout puts it on the theme script), and HSTS when
 * the request came over https (from the socket, or from a trusted proxy: scripts/server.mjs drops the
 * X-Forwarded-Proto of anyone else). Static files answer with their own headers.
 *
 * Pages only: API routes are left out of the matcher on purpose. Next buffers a request's body for the proxy (up to
 * proxyClientMaxBodySize), which would undo the streamed, capped uploads; the workspace API checks the origin of
 * state-changing requests itself (withViewer, lib/media/api.ts).
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|sandbox/|_next/static|_next/image|icon.svg|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
