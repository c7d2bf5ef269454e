import { listRecentGenerations } from "@/lib/generations/service";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

// GET /api/w/<slug>/generations?limit=20&active=1 → GenerationSummary[] (newest first)
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => {
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get("limit") ?? "20") || 20;
    const activeOnly = url.searchParams.get("active") === "1";
    return ok(await listRecentGenerations(viewer, { limit, activeOnly }));
  }, "GET /api/w/:workspace/generations");
}

export const dynamic = "force-dynamic";
