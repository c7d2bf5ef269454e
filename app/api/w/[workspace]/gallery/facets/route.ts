import { getGalleryFacets } from "@/lib/data/gallery";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

// GET /api/w/<slug>/gallery/facets → GalleryFacetsDTO (members, models, boards, trash size).
export async function GET(_request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => ok(await getGalleryFacets(viewer)), "GET /api/w/:workspace/gallery/facets");
}

export const dynamic = "force-dynamic";
