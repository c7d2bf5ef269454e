import { listGallery } from "@/lib/data/gallery";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";
import { parseGalleryParams } from "@/lib/validation/gallery";

// GET /api/w/<slug>/gallery?<view params>&cursor=<opaque> → GalleryPageDTO (one page, keyset-paginated).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => {
    const url = new URL(request.url);
    const { filters } = parseGalleryParams(url.searchParams);
    return ok(await listGallery(viewer, filters, url.searchParams.get("cursor")));
  }, "GET /api/w/:workspace/gallery");
}

export const dynamic = "force-dynamic";
