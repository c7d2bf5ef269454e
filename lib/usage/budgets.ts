import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { credits, lockMemberBudget } from "@/lib/data/budgets";
import { budgetResetLabel, spentThisMonth } from "@/lib/data/spend";
import { ForbiddenError, UserError } from "@/lib/result";

/**
 * Monthly credit budgets per member (Membership.monthlyCreditBudget, null = no limit), enforced when a run is
 * recorded; owners set them through lib/data/budgets.ts. The check runs inside the transaction that creates the
 * Generation, after locking the submitter's membership row: two submits by the same member queue on that lock, and the
 * second one sums the month again after the first has committed its run, so together they can never pass a budget
 * that neither could alone.
 */

type Tx = Prisma.TransactionClient;

/** The sentence a member reads when a run would take them past their budget. */
export function budgetExceededMessage(input: { cost: number; budget: number; spent: number; now: Date }): string {
  const resets = budgetResetLabel(input.now);
  if (input.budget === 0) {
    return `This run costs ${credits(input.cost)}; your monthly credit budget in this workspace is 0, so you can't spend credits until an owner raises it.`;
  }
  const left = Math.max(0, input.budget - input.spent);
  return `This run costs ${credits(input.cost)}; you have ${left.toLocaleString("en")} of your ${input.budget.toLocaleString("en")}-credit monthly budget left (resets ${resets} UTC).`;
}

/**
 * Call inside the transaction that records a run, before the insert: throws a UserError when `cost` would take the
 * member past their monthly budget. Runs without a credit figure (Qolaba) are never limited.
 */
export async function enforceBudget(tx: Tx, input: { workspaceId: string; userId: string; cost: number | null; now?: Date }): Promise<void> {
  if (input.cost === null) return;
  const budget = await lockMemberBudget(tx, input.workspaceId, input.userId);
  if (budget === undefined) throw new ForbiddenError("You are no longer a member of this workspace.");
  if (budget === null) return;
  const now = input.now ?? new Date();
  const spent = await spentThisMonth(input.workspaceId, input.userId, { now, client: tx });
  if (spent + input.cost > budget) {
    throw new UserError(budgetExceededMessage({ cost: input.cost, budget, spent, now }), "conflict");
  }
}
