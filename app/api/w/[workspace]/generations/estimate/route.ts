import { requirePermission } from "@/lib/authz";
import { estimateGeneration } from "@/lib/generations/estimate";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { closingUnlessRead, readBody } from "@/lib/media/request-body";
import { findInputProblem, UNSTORABLE_MESSAGE } from "@/lib/validation/primitives";
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
    const body = await readBody(request, BODY_MAX_BYTES, "That run is too large to price.");
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return jsonError(400, "The request body must be JSON.");
    }
    const problem = findInputProblem(raw);
    if (problem) return jsonError(422, problem.kind === "characters" ? `The run ${UNSTORABLE_MESSAGE}.` : "That run is too large to price.");
    const parsed = estimateGenerationSchema.safeParse(raw);
    if (!parsed.success) return jsonError(422, parsed.error.issues[0]?.message ?? "Check the settings.");
    return ok(await estimateGeneration(viewer, parsed.data.run));
  });
  return closingUnlessRead(request, response);
}

export const dynamic = "force-dynamic";
