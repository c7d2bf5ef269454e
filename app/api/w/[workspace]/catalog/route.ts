import { getCatalog } from "@/lib/generations/service";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

// GET /api/w/<slug>/catalog → CatalogDTO (models, styles, LoRAs, ControlNets, voices, characters)
export async function GET(_request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => ok(await getCatalog(viewer)), "GET /api/w/:workspace/catalog");
}

export const dynamic = "force-dynamic";
