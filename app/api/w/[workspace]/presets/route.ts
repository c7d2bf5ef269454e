import { listPresets } from "@/lib/data/presets";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { parsePresetListQuery } from "@/lib/validation/presets";

// GET /api/w/<slug>/presets?tool=IMAGE → PresetDTO[]: the caller's personal presets of that tool, then the
// workspace's shared ones, each by name (400 for an unknown tool).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    const query = parsePresetListQuery(new URL(request.url).searchParams);
    if (!query.ok) return jsonError(400, query.error);
    return ok(await listPresets(viewer, query.tool));
  });
}

export const dynamic = "force-dynamic";
