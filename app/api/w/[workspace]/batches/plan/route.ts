import { requirePermission } from "@/lib/authz";
import { planBatch } from "@/lib/generations/batches/plan";
import { withViewer } from "@/lib/media/api";
import { ok } from "@/lib/media/http";
import { closingUnlessRead, readJsonInput } from "@/lib/media/request-body";
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
    const input = await readJsonInput(request, planBatchSchema, { maxBytes: BODY_MAX_BYTES, tooLarge: "That batch is too large to plan.", subject: "The batch", fallback: "Check the batch." });
    return ok(await planBatch(viewer, input.plan));
  });
  return closingUnlessRead(request, response);
}

export const dynamic = "force-dynamic";
