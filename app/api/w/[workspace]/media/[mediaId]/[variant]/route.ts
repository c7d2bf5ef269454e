import { mediaFileKey } from "@/lib/media/files";
import { withViewer } from "@/lib/media/api";
import { jsonError, streamStored } from "@/lib/media/http";

// GET /api/w/<slug>/media/<mediaId>/thumb|original: the stored file (Range requests for video); 404 for other
// workspaces' ids.
async function handle(request: Request, { params }: { params: Promise<{ workspace: string; mediaId: string; variant: string }> }) {
  const { workspace, mediaId, variant } = await params;
  return withViewer(workspace, async (viewer) => {
    if (variant !== "thumb" && variant !== "original") return jsonError(404, "Not found.");
    const key = await mediaFileKey(viewer, mediaId, variant);
    if (!key) return jsonError(404, "Not found.");
    return streamStored(request, key, { immutable: true });
  });
}

export const GET = handle;
export const HEAD = handle;
export const dynamic = "force-dynamic";
