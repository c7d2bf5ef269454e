import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { requirePermission, type Viewer } from "@/lib/authz";
import { reportForeignIds } from "@/lib/audit/denials";
import { recordAudit } from "@/lib/audit/log";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";
import { budgetResetLabel, spentThisMonth } from "@/lib/usage/spend";

/**
 * Monthly credit budgets per member (Membership.monthlyCreditBudget, null = no limit), enforced when a run is
 * recorded. The check runs inside the transaction that creates the Generation, after locking the submitter's
 * membership row: two submits by the same member queue on that lock, and the second one sums the month again after
 * the first has committed its run, so together they can never pass a budget that neither could alone.
 */

type Tx = Prisma.TransactionClient;

const credits = (n: number) => `${n.toLocaleString("en")} credit${n === 1 ? "" : "s"}`;

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
  const [membership] = await tx.$queryRaw<{ budget: number | null }[]>`
    SELECT "monthlyCreditBudget" AS budget FROM "Membership"
    WHERE "workspaceId" = ${input.workspaceId} AND "userId" = ${input.userId}
    FOR UPDATE`;
  if (!membership) throw new ForbiddenError("You are no longer a member of this workspace.");
  if (membership.budget === null) return;
  const now = input.now ?? new Date();
  const spent = await spentThisMonth(input.workspaceId, input.userId, { now, client: tx });
  if (spent + input.cost > membership.budget) {
    throw new UserError(budgetExceededMessage({ cost: input.cost, budget: membership.budget, spent, now }), "conflict");
  }
}

const describeBudget = (budget: number | null) => (budget === null ? "no limit" : `${credits(budget)} a month`);

/** Sets (or clears, with null) a member's monthly budget. Owners only; another workspace's membership is "not found". */
export async function setMemberBudget(viewer: Viewer, membershipId: string, budget: number | null): Promise<{ budget: number | null }> {
  requirePermission(viewer, "budgets:manage");
  return db.$transaction(async (tx) => {
    const target = await tx.membership.findFirst({
      where: { id: membershipId, workspaceId: viewer.workspaceId },
      select: { id: true, monthlyCreditBudget: true, user: { select: { email: true } } },
    });
    if (!target) {
      reportForeignIds(viewer, "membership", [membershipId], "setMemberBudget");
      throw new NotFoundError("That member");
    }
    if (target.monthlyCreditBudget === budget) return { budget };
    await tx.membership.update({ where: { id: target.id }, data: { monthlyCreditBudget: budget } });
    await recordAudit(
      {
        action: "member.budget_changed",
        workspaceId: viewer.workspaceId,
        actorId: viewer.userId,
        targetType: "membership",
        targetId: target.id,
        details: {
          member: target.user.email,
          budget: `${describeBudget(target.monthlyCreditBudget)} → ${describeBudget(budget)}`,
          from: target.monthlyCreditBudget,
          to: budget,
        },
      },
      tx,
    );
    return { budget };
  });
}
