import { env } from "@/lib/env";
import { sandboxHandler } from "@/lib/connections/sandbox";

// The sandbox provider's HTTP face (RenderNet under /sandbox/rendernet, Qolaba under /sandbox/qolaba). Off in
// production unless ATELIER_SANDBOX=on; then every path answers 404 like any unknown URL.
async function handle(request: Request): Promise<Response> {
  if (!env().sandboxEnabled) return new Response("Not found", { status: 404 });
  return sandboxHandler()(request);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
export const dynamic = "force-dynamic";
