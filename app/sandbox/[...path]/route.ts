import { env } from "@/lib/env";
import { isIssuedSandboxKey, sandboxHandler } from "@/lib/connections/sandbox";
import { clientAddressFrom } from "@/lib/http/client-address";
import { consume } from "@/lib/limits/rate-limiter";

/**
 * The sandbox provider's HTTP face (RenderNet under /sandbox/rendernet, Qolaba under /sandbox/qolaba). Off in
 * production unless ATELIER_SANDBOX=on; then every path answers 404 like any unknown URL. Atelier's own worker calls
 * the sandbox in process (lib/connections/sandbox.ts), never through here; this route is for browsers fetching the
 * sandbox's files and for people trying the simulated API by hand. So, in production (a server others can reach):
 * - the API answers only keys this server issued (each workspace's sandbox key); anything else is a 401, as the real
 *   providers answer an unknown key (a test server, ATELIER_TEST_SERVER, accepts any key, like development);
 * - every caller is rate limited: 20 requests a second per key, and 50 a second per network address overall.
 */
const perKey = { name: "sandbox:key", points: 20, durationSeconds: 1 };
const perAddress = { name: "sandbox:address", points: 50, durationSeconds: 1 };

function keyOf(request: Request, path: string): string | null {
  if (path.startsWith("/sandbox/rendernet/")) return request.headers.get("x-api-key")?.trim() || null;
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
  return bearer?.[1]?.trim() || null;
}

function tooMany(seconds: number): Response {
  return Response.json({ data: null, err: { message: "rate limit exceeded, retry later", code: "rate_limited" } }, { status: 429, headers: { "Retry-After": String(seconds) } });
}

async function handle(request: Request): Promise<Response> {
  const response = await answer(request);
  // The sandbox caps the bodies it reads (sandbox/http.ts: 1 MB of JSON, 200 MB for the upload PUT, counted as they
  // arrive); an answer given without reading the body at all (a missing key, an unknown path) closes the connection
  // instead of draining it.
  if (request.body !== null && !request.bodyUsed) {
    const closing = new Response(response.body, response);
    closing.headers.set("Connection", "close");
    return closing;
  }
  return response;
}

async function answer(request: Request): Promise<Response> {
  const e = env();
  if (!e.sandboxEnabled) return new Response("Not found", { status: 404 });
  if (e.NODE_ENV === "production" && !e.ATELIER_TEST_SERVER) {
    const path = new URL(request.url).pathname;
    const byAddress = await consume(perAddress, clientAddressFrom(request.headers));
    if (!byAddress.ok) return tooMany(byAddress.retryAfterSeconds);
    // Files and presigned uploads carry their own unguessable tokens in the path, as the providers' do.
    const tokenPath = /^\/sandbox\/(rendernet|qolaba)\/(files|uploads)\//.test(path);
    if (!tokenPath && /^\/sandbox\/(rendernet|qolaba)\//.test(path)) {
      const key = keyOf(request, path);
      if (!key || !isIssuedSandboxKey(key)) {
        return Response.json({ data: null, err: { message: "invalid or missing API key", code: "unauthorized" } }, { status: 401 });
      }
      const byKey = await consume(perKey, key);
      if (!byKey.ok) return tooMany(byKey.retryAfterSeconds);
    }
  }
  return sandboxHandler()(request);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
export const dynamic = "force-dynamic";
