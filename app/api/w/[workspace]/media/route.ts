import { listRecentMedia } from "@/lib/generations/service";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

const KINDS = new Set(["IMAGE", "VIDEO", "AUDIO"]);

// GET /api/w/<slug>/media?kind=IMAGE&limit=24 → MediaDTO[] (READY gallery items, newest first; the input picker)
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => {
    const url = new URL(request.url);
    const kind = url.searchParams.get("kind")?.toUpperCase();
    const limit = Number(url.searchParams.get("limit") ?? "24") || 24;
    return ok(await listRecentMedia(viewer, { kind: kind && KINDS.has(kind) ? (kind as "IMAGE") : undefined, limit }));
  }, "GET /api/w/:workspace/media");
}

export const dynamic = "force-dynamic";
