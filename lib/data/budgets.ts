import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { requirePermission, type Viewer } from "@/lib/authz";
import { recordAudit } from "@/lib/data/audit";
import { reportForeignIds } from "@/lib/data/denials";
import { NotFoundError } from "@/lib/result";
import { plural } from "@/lib/validation/text";

/**
 * Members' monthly credit budgets (Membership.monthlyCreditBudget, null = no limit): the locked read that
 * lib/usage/budgets.ts's enforceBudget decides on, the unlocked read its preview for the form uses, and the owners'
 * change of a budget.
 */

type Tx = Prisma.TransactionClient;

export const credits = (n: number) => plural(n, "credit");

/**
 * The member's budget, read with the membership row locked FOR UPDATE until the transaction ends: two submits by the
 * same member queue here, so the second sums the month after the first has committed its run. Returns undefined when
 * the user is no longer a member (the row is gone), null when the member has no limit.
 */
export async function lockMemberBudget(tx: Tx, workspaceId: string, userId: string): Promise<number | null | undefined> {
  const [membership] = await tx.$queryRaw<{ budget: number | null }[]>`
    SELECT "monthlyCreditBudget" AS budget FROM "Membership"
    WHERE "workspaceId" = ${workspaceId} AND "userId" = ${userId}
    FOR UPDATE`;
  return membership ? membership.budget : undefined;
}

/**
 * The viewer's own budget, read without a lock: the form's preview before Generate (lib/usage/budgets.ts's
 * budgetPreview). Returns undefined when the viewer is no longer a member, null when they have no limit.
 */
export async function getOwnBudget(viewer: Viewer): Promise<number | null | undefined> {
  const membership = await db.membership.findFirst({
    where: { workspaceId: viewer.workspaceId, userId: viewer.userId },
    select: { monthlyCreditBudget: true },
  });
  return membership ? membership.monthlyCreditBudget : undefined;
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
