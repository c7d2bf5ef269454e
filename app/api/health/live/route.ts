/**
 * Liveness: 200 while this process serves requests, also while it drains after SIGTERM (restarting it then would cut
 * its work short). Touches nothing: no database, no storage, no session. Readiness is /api/health/ready.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "live" }, { headers: { "Cache-Control": "no-store" } });
}
