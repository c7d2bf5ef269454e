import { requirePermission } from "@/lib/authz";
import { planBatch } from "@/lib/generations/batches/plan";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { closingUnlessRead, readBody } from "@/lib/media/request-body";
import { findInputProblem, UNSTORABLE_MESSAGE } from "@/lib/validation/primitives";
import { planBatchSchema } from "@/lib/validation/batches";

/** 200 prompts of 2,000 characters and the settings: the cap only bounds what is read; the schema bounds the plan. */
const BODY_MAX_BYTES = 512 * 1024;

// POST /api/w/<slug>/batches/plan {plan} → BatchPlanDTO: runs, credits per priced combination and in total, the
// member's budget and the balance, before anything runs. A route for the estimate route's reason (Next runs a page's
// actions one at a time; pricing may wait on the provider) and with its checks: a member allowed to generate before
// the body is read, the body capped, control characters refused, the plan parsed with the batch panel's schema.
export async function POST(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const response = await withViewer(request, await params, async (viewer) => {
    requirePermission(viewer, "generation:create");
    const body = await readBody(request, BODY_MAX_BYTES, "That batch is too large to plan.");
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return jsonError(400, "The request body must be JSON.");
    }
    const problem = findInputProblem(raw);
    if (problem) return jsonError(422, problem.kind === "characters" ? `The batch ${UNSTORABLE_MESSAGE}.` : "That batch is too large to plan.");
    const parsed = planBatchSchema.safeParse(raw);
    if (!parsed.success) return jsonError(422, parsed.error.issues[0]?.message ?? "Check the batch.");
    return ok(await planBatch(viewer, parsed.data.plan));
  });
  return closingUnlessRead(request, response);
}

export const dynamic = "force-dynamic";
