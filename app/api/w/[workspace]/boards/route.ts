import { listBoards } from "@/lib/data/boards";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";

// GET /api/w/<slug>/boards → { id, name }[] (the board picker of the tool forms).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => ok((await listBoards(viewer)).map(({ id, name }) => ({ id, name }))));
}

export const dynamic = "force-dynamic";
