import "server-only";
import { randomInt } from "node:crypto";
import { requirePermission, type Viewer } from "@/lib/authz";
import { priceRun } from "@/lib/generations/estimate";
import { budgetPreview } from "@/lib/usage/budgets";
import { UserError } from "@/lib/result";
import { batchDimensions, batchSize, cellCoords, cellParams, type BatchPlan, type StoredBatchPlan } from "@/lib/validation/batches";
import type { GenerationRequest } from "@/lib/validation/generations";
import type { BatchPlanDTO } from "@/lib/generations/batches/types";

/**
 * Planning a batch: how many runs, what they cost at the provider, and how that sits with the member's budget and the
 * balance, before anything runs. The price depends on the model or style and the aspect ratio (and the shared
 * settings), never on the prompt or the seed, so each distinct (base, aspect ratio) pair is priced once, through the
 * form's estimate path (its 30 s cache and its limits), and multiplied by the runs it covers: a 1,000-run matrix is
 * at most 8 × 6 estimates, side by side two at a time in the workspace's estimate turn.
 */

/** The run of one cell of a stored plan (seeds drawn). */
export function cellRun(plan: StoredBatchPlan, cell: number): GenerationRequest {
  const at = cellCoords(batchDimensions(plan), cell);
  return {
    tool: "IMAGE",
    params: cellParams(plan.settings, {
      prompt: plan.prompts[at.prompt]!,
      base: plan.bases[at.base]!,
      aspectRatio: plan.aspectRatios[at.aspectRatio]!,
      seed: plan.seeds.values[at.seed]!,
    }),
  } as GenerationRequest;
}

/** The run that prices a (base, aspect ratio) pair: the first prompt, and the seed left random (it changes nothing). */
export function priceProbe(plan: BatchPlan, base: number, aspectRatio: number): GenerationRequest {
  return {
    tool: "IMAGE",
    params: cellParams(plan.settings, { prompt: plan.prompts[0]!, base: plan.bases[base]!, aspectRatio: plan.aspectRatios[aspectRatio]!, seed: null }),
  } as GenerationRequest;
}

/** The plan as stored: random seeds drawn now, so every cell is one fixed run from the start. */
export function storedPlanOf(plan: BatchPlan, random: (max: number) => number = (max) => randomInt(max)): StoredBatchPlan {
  const values =
    plan.seeds.mode === "list" ? plan.seeds.values : Array.from({ length: plan.seeds.count }, () => random(2 ** 32 - 1));
  return { settings: plan.settings, prompts: plan.prompts, bases: plan.bases, aspectRatios: plan.aspectRatios, seeds: { mode: "list", values } };
}

export async function planBatch(viewer: Viewer, plan: BatchPlan): Promise<BatchPlanDTO> {
  requirePermission(viewer, "generation:create");
  const runs = batchSize(plan);
  const dims = batchDimensions(plan);
  const perPair = dims.prompts * dims.seeds;
  const pairs = plan.bases.flatMap((_, b) => plan.aspectRatios.map((_, a) => ({ b, a })));
  let balance: number | null = null;
  const combinations = await Promise.all(
    pairs.map(async ({ b, a }) => {
      const base = plan.bases[b]!;
      const label = `${base.name} · ${plan.aspectRatios[a]}`;
      try {
        const price = await priceRun(viewer, priceProbe(plan, b, a));
        if (price.balance !== null) balance = price.balance;
        return { label, runs: perPair, creditsEach: price.credits, problem: price.credits === null ? "The provider gives no price for it." : null };
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return { label, runs: perPair, creditsEach: null, problem: error.message };
      }
    }),
  );
  const unknownRuns = combinations.filter((c) => c.creditsEach === null).reduce((sum, c) => sum + c.runs, 0);
  const totalCredits = combinations.reduce((sum, c) => sum + (c.creditsEach ?? 0) * c.runs, 0);
  const budget = await budgetPreview(viewer, totalCredits);
  return {
    runs,
    dimensions: dims,
    combinations,
    totalCredits,
    unknownRuns,
    budget: budget && { limit: budget.limit, remaining: budget.remaining },
    balance,
  };
}
