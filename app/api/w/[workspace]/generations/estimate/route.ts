import { requirePermission } from "@/lib/authz";
import { estimateGeneration } from "@/lib/generations/estimate";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";
import { closingUnlessRead, readJsonInput } from "@/lib/media/request-body";
import { estimateGenerationSchema } from "@/lib/validation/generations";

/** A run's parameters are a few KB at most (prompts are capped by the schema); the cap only bounds what is read. */
const BODY_MAX_BYTES = 64 * 1024;

// POST /api/w/<slug>/generations/estimate {run} → EstimateDTO (the form's price as it changes). A route rather than a
// server action because Next runs a page's actions one at a time: an estimate waiting on the provider (it uploads the
// run's inputs) would hold up the Generate click queued behind it. The checks are the action's: a member allowed to
// generate (before the body is read), the body capped, control characters refused, the run parsed with the form's
// schema; the service adds the estimate limit and its 30 s cache.
export async function POST(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const response = await withViewer(request, await params, async (viewer) => {
    requirePermission(viewer, "generation:create");
    const input = await readJsonInput(request, estimateGenerationSchema, { maxBytes: BODY_MAX_BYTES, tooLarge: "That run is too large to price.", subject: "The run", fallback: "Check the settings." });
    return ok(await estimateGeneration(viewer, input.run));
  });
  return closingUnlessRead(request, response);
}

export const dynamic = "force-dynamic";
