import { listAssetLibrary } from "@/lib/data/assets";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";
import { assetKindOf, parseAssetType } from "@/lib/validation/assets";

// GET /api/w/<slug>/assets/library?type=image|video|audio&cursor=<opaque> → AssetLibraryPageDTO (newest first)
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => {
    const url = new URL(request.url);
    const type = parseAssetType(url.searchParams.get("type"));
    return ok(await listAssetLibrary(viewer, { kind: assetKindOf(type), cursor: url.searchParams.get("cursor") }));
  }, "GET /api/w/:workspace/assets/library");
}

export const dynamic = "force-dynamic";
