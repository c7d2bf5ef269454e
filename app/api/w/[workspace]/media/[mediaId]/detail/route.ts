import { getMediaDetail } from "@/lib/data/gallery";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { isId } from "@/lib/validation/primitives";

// GET /api/w/<slug>/media/<mediaId>/detail → MediaDetailDTO; 404 for another workspace's id (or one that can't be an id).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string; mediaId: string }> }) {
  const route = await params;
  return withViewer(request, route, async (viewer) => {
    const detail = isId(route.mediaId) ? await getMediaDetail(viewer, route.mediaId) : null;
    return detail ? ok(detail) : jsonError(404, "That item was not found.");
  });
}

export const dynamic = "force-dynamic";
