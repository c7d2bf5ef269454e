import { getGalleryFacets } from "@/lib/data/gallery";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

// GET /api/w/<slug>/gallery/facets → GalleryFacetsDTO (members, models, boards, trash size).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => ok(await getGalleryFacets(viewer)));
}

export const dynamic = "force-dynamic";
