import "server-only";
import { failPreparingRun, queuePreparedRun } from "@/lib/data/generation-runs";
import type { Generation } from "@/lib/generated/prisma/client";
import type { WorkspaceConnection } from "@/lib/connections/workspace";
import { buildRequest, type BuiltRequest } from "@/lib/generations/build-request";
import { balanceShortMessage, estimateBuilt } from "@/lib/generations/estimate";
import { isProviderError, type ProviderErrorCause } from "@/lib/providers/http/errors";
import { ForbiddenError, UserError } from "@/lib/result";
import { enforceBudget } from "@/lib/usage/budgets";
import { generationRequest } from "@/lib/validation/generations";

/**
 * PREPARING → QUEUED, in the run's job: what the submit left out so that it could answer at once (see
 * recordGeneration in lib/generations/service.ts). Nothing is sent to the provider's create from here.
 *
 * 1. Uploads the inputs the provider does not have yet (once per connection and checksum; an upload already under
 *    way in this process, such as the form's estimate's, is joined) and builds the request.
 * 2. A RenderNet run the submit could not price is priced now (the provider's estimate of the built items) and
 *    refused if the balance cannot cover it, with the submit's sentence.
 * 3. In one transaction: that price is checked against the member's monthly budget under the lock on their
 *    membership (enforceBudget, as at submit, so concurrent runs cannot overspend together), and the run becomes
 *    QUEUED with its request and price (a conditional update: a run moved meanwhile is left alone).
 * A refusal (an input gone, the provider refusing an upload, the balance, the budget, the deadline) fails the run with
 * a sentence for its card, nothing created at the provider. Network trouble and provider outages throw: the job runs
 * again later, still PREPARING (an upload is safe to repeat: at worst the provider keeps a spare copy).
 */

export type Prepared = { queued: Generation } | { ended: true } | { moved: true };

/** Causes worth another try later; every other provider refusal is final for this run. */
const RETRY_LATER = new Set<ProviderErrorCause>(["rate_limited", "unavailable", "timeout", "unknown_outcome"]);

/** Fails a run still PREPARING (a cancel may have ended it meanwhile); nothing was sent, so it is not charged. */
async function refuse(generationId: string, cause: string, message: string): Promise<Prepared> {
  await failPreparingRun(generationId, cause, message);
  return { ended: true };
}

export async function prepareGeneration(generation: Generation, connection: WorkspaceConnection): Promise<Prepared> {
  if (generation.deadlineAt && generation.deadlineAt.getTime() < Date.now()) {
    return refuse(generation.id, "timeout", "The inputs could not be uploaded to the provider in time; nothing was sent. Retry it.");
  }
  const priceHere = generation.provider === "RENDERNET" && generation.estimatedCredits === null;
  let built: BuiltRequest;
  let credits = generation.estimatedCredits;
  try {
    built = await buildRequest(connection, generation.workspaceId, generationRequest.parse({ tool: generation.tool, params: generation.params }));
    if (priceHere) {
      const estimate = await estimateBuilt(connection, built, generation.workspaceId);
      if (estimate.credits !== null && estimate.balance !== null && estimate.credits > estimate.balance) {
        return refuse(generation.id, "out_of_credits", balanceShortMessage(estimate.credits, estimate.balance));
      }
      credits = estimate.credits;
    }
  } catch (error) {
    if (error instanceof UserError) return refuse(generation.id, "invalid_input", error.message);
    if (isProviderError(error) && !RETRY_LATER.has(error.cause)) return refuse(generation.id, error.cause, error.userMessage);
    throw error;
  }

  try {
    const queued = await queuePreparedRun(generation.id, { request: built.request, estimatedCredits: credits }, async (tx) => {
      if (priceHere && generation.createdById) {
        await enforceBudget(tx, { workspaceId: generation.workspaceId, userId: generation.createdById, cost: credits });
      }
    });
    if (!queued) return { moved: true };
  } catch (error) {
    // The budget's sentence, or "no longer a member" when the submitter left meanwhile.
    if (error instanceof UserError) return refuse(generation.id, error instanceof ForbiddenError ? "not_member" : "over_budget", error.message);
    throw error;
  }
  return { queued: { ...generation, status: "QUEUED", request: built.request as object, estimatedCredits: credits } };
}
