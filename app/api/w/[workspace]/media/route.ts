import { listRecentMedia } from "@/lib/data/media";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { limitMessage, parseLimit } from "@/lib/validation/primitives";

const KINDS = new Set(["IMAGE", "VIDEO", "AUDIO"]);

// GET /api/w/<slug>/media?kind=IMAGE&limit=24 → MediaDTO[] (READY gallery items, newest first; the input picker).
// An unknown kind lists every kind; limit 1–100 (400 otherwise).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    const url = new URL(request.url);
    const kind = url.searchParams.get("kind")?.toUpperCase();
    const limit = parseLimit(url.searchParams.get("limit"), { fallback: 24, max: 100 });
    if (limit === null) return jsonError(400, limitMessage(100));
    return ok(await listRecentMedia(viewer, { kind: kind && KINDS.has(kind) ? (kind as "IMAGE") : undefined, limit }));
  });
}

export const dynamic = "force-dynamic";
