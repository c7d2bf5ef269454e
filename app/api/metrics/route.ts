import { env } from "@/lib/env";
import { authorizeScrape, scrapeMetrics } from "@/lib/monitoring/scrape";

/**
 * Prometheus metrics of this instance (docs/metrics.md). Exists only when METRICS_TOKEN is set (else 404); needs
 * `Authorization: Bearer <METRICS_TOKEN>` (401, or 429 after repeated wrong tokens): lib/monitoring/scrape.ts.
 */
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const access = await authorizeScrape(request.headers, env().METRICS_TOKEN);
  if (!access.ok) {
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (access.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="metrics"';
    if (access.retryAfterSeconds) headers["Retry-After"] = String(access.retryAfterSeconds);
    const text = access.status === 404 ? "Not found" : access.status === 401 ? "A valid metrics token is required." : "Too many attempts. Try again later.";
    return new Response(text, { status: access.status, headers });
  }
  const { body, contentType } = await scrapeMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
