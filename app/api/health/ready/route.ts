import { readiness } from "@/lib/monitoring/readiness";

/**
 * Readiness: 200 when this instance may be sent traffic (database, migrations, storage, not shutting down), else 503
 * with each check's sentence (lib/monitoring/readiness.ts: bounded, cached, never an error's text). No session needed.
 */
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const report = await readiness().check();
  return Response.json(
    { status: report.ready ? "ready" : "not ready", checks: report.checks },
    { status: report.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
