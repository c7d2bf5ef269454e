import { z } from "zod";
import { workspaceRef } from "@/lib/validation/workspaces";

/** The usage page's ranges, in days ending today (UTC). Anything else in the URL reads as the default. */
export const USAGE_RANGES = [7, 30, 90] as const;
export type UsageRangeDays = (typeof USAGE_RANGES)[number];
export const DEFAULT_USAGE_RANGE: UsageRangeDays = 30;

export function parseUsageRange(raw: unknown): UsageRangeDays {
  const days = Number(Array.isArray(raw) ? raw[0] : raw);
  return (USAGE_RANGES as readonly number[]).includes(days) ? (days as UsageRangeDays) : DEFAULT_USAGE_RANGE;
}

export const MAX_MONTHLY_BUDGET = 1_000_000;

const budgetMessage = "Enter a whole number of credits, or leave it empty for no limit.";

/** A monthly credit budget: a whole number from 0 to 1,000,000, or empty (null) for no limit. */
export const budgetField = z.preprocess(
  (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value === "string") {
      const text = value.trim().replace(/[,_\s]/g, "");
      return text === "" ? null : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    }
    return value;
  },
  z
    .number({ error: budgetMessage })
    .int("Use a whole number of credits.")
    .min(0, "A budget can't be negative. Leave it empty for no limit.")
    .max(MAX_MONTHLY_BUDGET, `Use at most ${MAX_MONTHLY_BUDGET.toLocaleString("en")} credits.`)
    .nullable(),
);

export const setBudgetSchema = z.object({
  workspace: workspaceRef,
  membershipId: z.string().min(1).max(64),
  budget: budgetField,
});

export type SetBudgetInput = z.infer<typeof setBudgetSchema>;
