"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions/action-client";
import { ok } from "@/lib/result";
import { setMemberBudget } from "@/lib/data/budgets";
import { setBudgetSchema } from "@/lib/validation/usage";

/** Owners set (or clear) a member's monthly credit budget; it applies to the next run the member submits. */
export const setMemberBudgetAction = workspaceAction("setMemberBudget", setBudgetSchema, "budgets:manage", async ({ input, viewer }) => {
  const result = await setMemberBudget(viewer, input.membershipId, input.budget);
  revalidatePath(`/w/${viewer.workspaceSlug}/settings/usage`);
  return ok(result);
});
