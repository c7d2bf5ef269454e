import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
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
 * when it becomes final (settleCharge, one statement, run by the worker's and the cancel's final transitions).
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

/** The last balance Atelier read for a workspace's connection at or before `at` (BalanceSnapshot), or null. */
export async function balanceReadBefore(workspaceId: string, connectionId: string, at: Date): Promise<number | null> {
  const row = await db.balanceSnapshot.findFirst({
    where: { workspaceId, connection: connectionId, createdAt: { lte: at } },
    orderBy: { createdAt: "desc" },
    select: { balance: true },
  });
  return row?.balance ?? null;
}

/**
 * Settles the charge of a run that has become final without one (see the header), from what its row says happened.
 * Touches nothing else and nothing already settled; run it in the transaction of the final transition.
 */
export function settleCharge(client: Pick<Prisma.TransactionClient, "$executeRaw">, generationId: string) {
  return client.$executeRaw`
    UPDATE "Generation" SET
      "chargeBasis" = (CASE
        WHEN "sentAt" IS NULL THEN 'NOT_SENT'
        WHEN "providerGenerationId" IS NOT NULL AND "estimatedCredits" IS NOT NULL THEN 'ESTIMATE'
        WHEN "providerGenerationId" IS NOT NULL OR "providerTaskId" IS NOT NULL THEN 'UNKNOWN'
        WHEN "errorCause" IN ('unknown_outcome', 'internal') THEN 'UNKNOWN'
        ELSE 'NOT_ACCEPTED' END)::"ChargeBasis",
      "chargedCredits" = (CASE
        WHEN "sentAt" IS NULL THEN 0
        WHEN "providerGenerationId" IS NOT NULL AND "estimatedCredits" IS NOT NULL THEN "estimatedCredits"
        WHEN "providerGenerationId" IS NOT NULL OR "providerTaskId" IS NOT NULL THEN NULL
        WHEN "errorCause" IN ('unknown_outcome', 'internal') THEN NULL
        ELSE 0 END)
    WHERE "id" = ${generationId} AND "chargeBasis" IS NULL
      AND "status" IN ('SUCCEEDED', 'FAILED', 'REFUSED', 'CANCELLED')`;
}
