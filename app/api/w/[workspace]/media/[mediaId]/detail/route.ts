import { getMediaDetail } from "@/lib/data/gallery";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";

// GET /api/w/<slug>/media/<mediaId>/detail → MediaDetailDTO; 404 for another workspace's id.
export async function GET(_request: Request, { params }: { params: Promise<{ workspace: string; mediaId: string }> }) {
  const { workspace, mediaId } = await params;
  return withViewer(workspace, async (viewer) => {
    const detail = await getMediaDetail(viewer, mediaId);
    return detail ? ok(detail) : jsonError(404, "That item was not found.");
  }, "GET /api/w/:workspace/media/:mediaId/detail");
}

export const dynamic = "force-dynamic";
