import { listGallery } from "@/lib/data/gallery";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";
import { parseGalleryParams } from "@/lib/validation/gallery";

// GET /api/w/<slug>/gallery?<view params>&cursor=<opaque> → GalleryPageDTO (one page, keyset-paginated). Filters
// that can't be read are dropped (lib/gallery/view-params.ts); a cursor that can't be read starts from the top.
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    const url = new URL(request.url);
    const { filters } = parseGalleryParams(url.searchParams);
    return ok(await listGallery(viewer, filters, url.searchParams.get("cursor")));
  });
}

export const dynamic = "force-dynamic";
