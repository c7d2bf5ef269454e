import { mediaFile } from "@/lib/media/files";
import { withViewer } from "@/lib/media/api";
import { downloadStored, jsonError, streamStored } from "@/lib/media/http";
import { isId } from "@/lib/validation/primitives";

// GET /api/w/<slug>/media/<mediaId>/thumb|original[?download=1]: the stored file (Range requests for video;
// `download=1` answers as an attachment with a readable name, through a short-lived presigned link when media is in
// an object store); 404 for other workspaces' ids. What the page displays is always streamed from here (same origin).
async function handle(request: Request, { params }: { params: Promise<{ workspace: string; mediaId: string; variant: string }> }) {
  const route = await params;
  return withViewer(request, route, async (viewer) => {
    const { mediaId, variant } = route;
    if ((variant !== "thumb" && variant !== "original") || !isId(mediaId)) return jsonError(404, "Not found.");
    const file = await mediaFile(viewer, mediaId, variant);
    if (!file) return jsonError(404, "Not found.");
    if (new URL(request.url).searchParams.get("download") === "1") return downloadStored(request, file.key, file.name);
    return streamStored(request, file.key, { immutable: true, filename: file.name, disposition: "inline" });
  });
}

export const GET = handle;
export const HEAD = handle;
export const dynamic = "force-dynamic";
