import { getJobsOverview } from "@/lib/data/jobs-admin";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

// GET /api/w/<slug>/jobs → JobsOverviewDTO (admins and owners; 403 otherwise): Settings → Jobs polls it.
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => ok(await getJobsOverview(viewer)));
}

export const dynamic = "force-dynamic";
