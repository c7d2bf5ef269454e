import { listPromptHistory } from "@/lib/data/prompt-history";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { parsePromptHistoryQuery } from "@/lib/validation/prompt-history";

// GET /api/w/<slug>/prompts?tool=IMAGE&q=castle&limit=20 → PromptHistoryEntry[]: the caller's own recent prompts
// for that tool, newest first (400 for an unknown tool, a search over 200 characters or a bad limit).
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    const query = parsePromptHistoryQuery(new URL(request.url).searchParams);
    if (!query.ok) return jsonError(400, query.error);
    return ok(await listPromptHistory(viewer, query));
  });
}

export const dynamic = "force-dynamic";
