import { getBatch } from "@/lib/data/batches";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";

// GET /api/w/<slug>/batches/<id> → BatchDTO: the batch page's progress and contact sheet, polled while it runs.
// Another workspace's batch answers 404, like a missing one.
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string; batchId: string }> }) {
  const route = await params;
  return withViewer(request, route, async (viewer) => {
    const batch = await getBatch(viewer, route.batchId);
    return batch ? ok(batch) : jsonError(404, "That batch was not found.");
  });
}

export const dynamic = "force-dynamic";
