import { listRecentGenerations } from "@/lib/data/generations";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { limitMessage, parseLimit } from "@/lib/validation/primitives";

// GET /api/w/<slug>/generations?limit=20&active=1 → GenerationSummary[] (newest first); limit 1–100 (400 otherwise).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    const url = new URL(request.url);
    const limit = parseLimit(url.searchParams.get("limit"), { fallback: 20, max: 100 });
    if (limit === null) return jsonError(400, limitMessage(100));
    const activeOnly = url.searchParams.get("active") === "1";
    return ok(await listRecentGenerations(viewer, { limit, activeOnly }));
  });
}

export const dynamic = "force-dynamic";
