import { getCatalog } from "@/lib/generations/catalog";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

// GET /api/w/<slug>/catalog → CatalogDTO (models, styles, LoRAs, ControlNets, voices, characters)
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => ok(await getCatalog(viewer)));
}

export const dynamic = "force-dynamic";
