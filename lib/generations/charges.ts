import type { ChargeBasis } from "@/lib/generated/prisma/enums";

/**
 * What a run cost, and how Atelier knows (Generation.chargedCredits, refundedCredits, chargeBasis). The rules:
 *
 * - RenderNet charges when it accepts a create (the spec's `credits_remaining` drops at once; the sandbox does the
 *   same). So an accepted RenderNet run is charged from that moment, whatever happens next, with:
 *   BALANCE when the balance the create's answer reports (`credits_remaining`) is exactly the last balance Atelier
 *   read before sending, minus the estimate: the provider's own figure confirms the price. Otherwise ESTIMATE: a
 *   different difference (another run charged in between, a top-up, the key used elsewhere) cannot be told apart
 *   from a different price, so the provider's estimate stands.
 * - Refunds: neither the spec nor the sandbox says RenderNet gives credits back for failed, refused or deleted
 *   generations, and no answer carries a refund. Atelier records one only when it sees one: a cancel reads the
 *   balance just before and just after its DELETE, and a rise of exactly the charge is a refund (refundedCredits,
 *   chargedCredits 0). A failed or refused run that was charged keeps its charge; people read "refund not known".
 * - Not charged (0): a run never sent (NOT_SENT: cancelled or failed before its create), or whose create the provider
 *   refused or never received (NOT_ACCEPTED: a 4xx/429 answer, or reconciliation found nothing in its feed).
 * - UNKNOWN (null): Qolaba bills GPU time and reports no figure; a create whose answer was lost and could not be
 *   settled may or may not have been charged.
 *
 * Accepted RenderNet runs are settled when the create's answer is recorded (chargeOnAcceptance); every other run
 * when it becomes final (settleCharge in lib/data/generation-runs.ts: one statement, run in the transaction of each
 * final transition of the worker and the cancel). This module keeps the rules, and no database access.
 */

export type Charge = { chargedCredits: number | null; chargeBasis: ChargeBasis };

export function chargeOnAcceptance(input: { estimatedCredits: number | null; creditsRemaining?: number | undefined; balanceBefore: number | null }): Charge {
  const { estimatedCredits, creditsRemaining, balanceBefore } = input;
  if (estimatedCredits === null) return { chargedCredits: null, chargeBasis: "UNKNOWN" };
  if (creditsRemaining !== undefined && balanceBefore !== null && balanceBefore - creditsRemaining === estimatedCredits) {
    return { chargedCredits: estimatedCredits, chargeBasis: "BALANCE" };
  }
  return { chargedCredits: estimatedCredits, chargeBasis: "ESTIMATE" };
}
