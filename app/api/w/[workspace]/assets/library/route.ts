import { listAssetLibrary } from "@/lib/data/assets";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";
import { assetKindOf, parseAssetType } from "@/lib/validation/assets";

// GET /api/w/<slug>/assets/library?type=image|video|audio&cursor=<opaque> → AssetLibraryPageDTO (newest first). An
// unknown type lists everything; a cursor that can't be read starts from the top.
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    const url = new URL(request.url);
    const type = parseAssetType(url.searchParams.get("type"));
    return ok(await listAssetLibrary(viewer, { kind: assetKindOf(type), cursor: url.searchParams.get("cursor") }));
  });
}

export const dynamic = "force-dynamic";
