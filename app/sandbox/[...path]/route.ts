import { env } from "@/lib/env";
import { sandboxHandler } from "@/lib/connections/sandbox";

// The sandbox provider's HTTP face (RenderNet under /sandbox/rendernet, Qolaba under /sandbox/qolaba). Off in
// production unless ATELIER_SANDBOX=on; then every path answers 404 like any unknown URL. The sandbox caps the bodies
// it reads (sandbox/http.ts: 1 MB of JSON, 200 MB for the upload PUT, counted as they arrive); an answer given
// without reading the body at all (a missing key, an unknown path) closes the connection instead of draining it.
async function handle(request: Request): Promise<Response> {
  const response = env().sandboxEnabled ? await sandboxHandler()(request) : new Response("Not found", { status: 404 });
  if (request.body !== null && !request.bodyUsed) {
    const closing = new Response(response.body, response);
    closing.headers.set("Connection", "close");
    return closing;
  }
  return response;
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
export const dynamic = "force-dynamic";
