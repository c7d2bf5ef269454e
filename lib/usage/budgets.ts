import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Viewer } from "@/lib/authz";
import type { BudgetPreviewDTO } from "@/lib/generations/types";
import { credits, getOwnBudget, lockMemberBudget } from "@/lib/data/budgets";
import { budgetResetLabel, spentThisMonth } from "@/lib/data/spend";
import { ForbiddenError, UserError } from "@/lib/result";

/**
 * Monthly credit budgets per member (Membership.monthlyCreditBudget, null = no limit), enforced when a run is
 * recorded; owners set them through lib/data/budgets.ts. The check runs inside the transaction that creates the
 * Generation, after locking the submitter's membership row: two submits by the same member queue on that lock, and the
 * second one sums the month again after the first has committed its run, so together they can never pass a budget
 * that neither could alone. The form previews the same rule before Generate (budgetPreview, through the estimate),
 * with the same standing() but without the lock: the submit's locked check stays the one that decides.
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

/** The sentence beside Generate when the run the form describes would take the member past their budget. */
export function budgetWarningMessage(input: { cost: number; budget: number; spent: number }): string {
  const raise = "an owner can raise it in Settings → Usage.";
  if (input.budget === 0) return `Your monthly credit budget in this workspace is 0; ${raise}`;
  const left = Math.max(0, input.budget - input.spent);
  return `This run (~${credits(input.cost)}) would exceed your remaining budget of ${credits(left)} this month; ${raise}`;
}

/**
 * The rule, in one place for the submit and the form: what the member has committed this month (lib/data/spend.ts)
 * and whether `cost` more would pass `budget`. Reaching the budget exactly is allowed.
 */
async function standing(client: Tx | undefined, input: { workspaceId: string; userId: string; cost: number; budget: number; now: Date }) {
  const spent = await spentThisMonth(input.workspaceId, input.userId, { now: input.now, client });
  return { spent, exceeded: spent + input.cost > input.budget };
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
  const { spent, exceeded } = await standing(tx, { workspaceId: input.workspaceId, userId: input.userId, cost: input.cost, budget, now });
  if (exceeded) throw new UserError(budgetExceededMessage({ cost: input.cost, budget, spent, now }), "conflict");
}

/**
 * The viewer's budget against a run of `cost`, for the form before Generate: null when they have no limit (or are no
 * longer a member: the submit says so) or the run has no credit figure. A preview only, read without the lock, so a
 * run submitted meanwhile elsewhere may still make enforceBudget refuse.
 */
export async function budgetPreview(viewer: Viewer, cost: number | null, now = new Date()): Promise<BudgetPreviewDTO | null> {
  if (cost === null) return null;
  const budget = await getOwnBudget(viewer);
  if (budget === null || budget === undefined) return null;
  const { spent, exceeded } = await standing(undefined, { workspaceId: viewer.workspaceId, userId: viewer.userId, cost, budget, now });
  return {
    limit: budget,
    remaining: Math.max(0, budget - spent),
    warning: exceeded ? budgetWarningMessage({ cost, budget, spent }) : null,
  };
}
