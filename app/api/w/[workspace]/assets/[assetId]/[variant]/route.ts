import { assetFileKey } from "@/lib/media/files";
import { withViewer } from "@/lib/media/api";
import { jsonError, streamStored } from "@/lib/media/http";
import { isId } from "@/lib/validation/primitives";

// GET /api/w/<slug>/assets/<assetId>/thumb|original: the uploaded file (Range requests for video); 404 for other
// workspaces' ids.
async function handle(request: Request, { params }: { params: Promise<{ workspace: string; assetId: string; variant: string }> }) {
  const route = await params;
  return withViewer(request, route, async (viewer) => {
    const { assetId, variant } = route;
    if ((variant !== "thumb" && variant !== "original") || !isId(assetId)) return jsonError(404, "Not found.");
    const file = await assetFileKey(viewer, assetId, variant);
    if (!file) return jsonError(404, "Not found.");
    return streamStored(request, file.key, { immutable: true, filename: variant === "original" ? file.name : undefined });
  });
}

export const GET = handle;
export const HEAD = handle;
export const dynamic = "force-dynamic";
