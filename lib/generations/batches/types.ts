/** What the batch panel shows before a batch starts (POST /api/w/<slug>/batches/plan; lib/generations/batches/plan.ts). */
export type BatchPlanDTO = {
  runs: number;
  dimensions: { prompts: number; bases: number; aspectRatios: number; seeds: number };
  /** Each distinct priced combination (model or style × aspect ratio), priced once; prompts and seeds don't change it. */
  combinations: { label: string; runs: number; creditsEach: number | null; problem: string | null }[];
  /** The sum over the combinations with a price. */
  totalCredits: number;
  /** Runs whose price is not known (their combination could not be priced): not in totalCredits. */
  unknownRuns: number;
  /** The member's monthly budget, when they have one. */
  budget: { limit: number; remaining: number } | null;
  /** The provider's balance, as the estimates read it. */
  balance: number | null;
};

export type StartBatchDTO = { batchId: string; boardName: string };
