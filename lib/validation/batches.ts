import { z } from "zod";
import { ASPECT_RATIOS, imageParams, isFluxBase, PROMPT_MAX } from "@/lib/validation/generations";
import { workspaceRef } from "@/lib/validation/workspaces";

/**
 * The batch matrix (issue 16): the Image form's settings crossed with prompts, models or styles, aspect ratios and
 * seeds. One schema for the batch panel (inline errors as the user types) and the plan route and start action (parsed
 * again, authoritatively). Every list is bounded, and so is the product: planning and the job's work stay bounded
 * whatever is posted. Pure: the contact sheet uses the cell arithmetic in the browser.
 *
 * Cells are numbered row-major over (prompt, base, aspect ratio, seed), the seed varying fastest: cell n is always
 * the same run, which is what lets the job give each one a deterministic idempotency key.
 */

export const BATCH_MAX_RUNS = 1000;
export const BATCH_MAX_PROMPTS = 200;
export const BATCH_MAX_BASES = 8;
export const BATCH_MAX_SEEDS = 50;
export const BATCH_NAME_MAX = 60;
export const BATCH_CAP_MAX = 1_000_000;
/** At most this many of one batch's runs are in flight at once (queued, uploading, sent, running). */
export const BATCH_IN_FLIGHT = 3;

const seed = z.number().int("A seed is a whole number.").min(0, "A seed can't be negative.").max(4_294_967_295, "A seed is at most 4294967295.");

export const batchBase = z.object({
  kind: z.enum(["model", "style"]),
  name: z.string().min(1).max(120),
  baseModel: z.string().max(40).optional(),
});
export type BatchBase = z.infer<typeof batchBase>;

export const batchSeeds = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("random"), count: z.number().int("A whole number of seeds.").min(1, "At least 1 seed.").max(BATCH_MAX_SEEDS, `At most ${BATCH_MAX_SEEDS} seeds.`) }),
  z.object({
    mode: z.literal("list"),
    values: z.array(seed).min(1, "List at least one seed.").max(BATCH_MAX_SEEDS, `At most ${BATCH_MAX_SEEDS} seeds.`),
  }),
]);

/** The matrix itself, without the shared settings: what the panel edits. */
const matrixShape = {
  prompts: z
    .array(z.string().trim().min(1, "A prompt can't be empty.").max(PROMPT_MAX, `Keep each prompt under ${PROMPT_MAX} characters.`))
    .min(1, "Write at least one prompt.")
    .max(BATCH_MAX_PROMPTS, `At most ${BATCH_MAX_PROMPTS} prompts.`),
  bases: z.array(batchBase).min(1, "Choose at least one model or style.").max(BATCH_MAX_BASES, `At most ${BATCH_MAX_BASES} models or styles.`),
  aspectRatios: z.array(z.enum(ASPECT_RATIOS)).min(1, "Choose at least one aspect ratio.").max(ASPECT_RATIOS.length),
  seeds: batchSeeds,
};

/** How many seeds a seed choice stands for. */
export const seedCount = (seeds: z.infer<typeof batchSeeds>) => (seeds.mode === "random" ? seeds.count : seeds.values.length);

/** The matrix's dimensions' sizes, in cell order. */
export function batchDimensions(plan: { prompts: unknown[]; bases: unknown[]; aspectRatios: unknown[]; seeds: z.infer<typeof batchSeeds> }) {
  return { prompts: plan.prompts.length, bases: plan.bases.length, aspectRatios: plan.aspectRatios.length, seeds: seedCount(plan.seeds) };
}

export function batchSize(plan: Parameters<typeof batchDimensions>[0]): number {
  const d = batchDimensions(plan);
  return d.prompts * d.bases * d.aspectRatios * d.seeds;
}

/** Cell n's coordinates (indices into the plan's lists). */
export function cellCoords(dims: ReturnType<typeof batchDimensions>, cell: number) {
  const seed = cell % dims.seeds;
  const aspectRatio = Math.floor(cell / dims.seeds) % dims.aspectRatios;
  const base = Math.floor(cell / (dims.seeds * dims.aspectRatios)) % dims.bases;
  const prompt = Math.floor(cell / (dims.seeds * dims.aspectRatios * dims.bases));
  return { prompt, base, aspectRatio, seed };
}

/**
 * The settings every run shares, from the Image form; prompt, base, aspect ratio and seed come from the matrix. Each
 * model or style is checked with the Image tool's own schema (Flux takes fewer settings: see `cellParams`).
 */
const settings = z.record(z.string().max(40), z.unknown()).refine((value) => Object.keys(value).length <= 30, "Too many settings.");

export const batchPlanSchema = z
  .object({ settings, ...matrixShape })
  .superRefine((value, ctx) => {
    const runs = batchSize(value);
    if (runs > BATCH_MAX_RUNS) {
      ctx.addIssue({ code: "custom", path: ["prompts"], message: `That is ${runs.toLocaleString("en-US")} runs; a batch holds at most ${BATCH_MAX_RUNS.toLocaleString("en-US")}.` });
    }
    // Every model or style with the first prompt: the settings must suit each (the other prompts only change the text).
    value.bases.forEach((base, i) => {
      const parsed = imageParams.safeParse(cellParams(value.settings, { prompt: value.prompts[0] ?? "", base, aspectRatio: value.aspectRatios[0] ?? "1:1", seed: null }));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join(".");
        ctx.addIssue({ code: "custom", path: field === "base" ? ["bases", i] : ["settings", ...issue.path.map(String)], message: `${base.name}: ${issue.message}` });
      }
    });
    const character = characterName(value.settings);
    if (character) {
      value.prompts.forEach((prompt, i) => {
        if (!prompt.includes(`{${character}}`)) ctx.addIssue({ code: "custom", path: ["prompts", i], message: `Put {${character}} in prompt ${i + 1}.` });
      });
    }
  });
export type BatchPlanInput = z.input<typeof batchPlanSchema>;
export type BatchPlan = z.infer<typeof batchPlanSchema>;

function characterName(settings: Record<string, unknown>): string | null {
  const character = settings.character as { name?: unknown } | null | undefined;
  return character && typeof character.name === "string" ? character.name : null;
}

/**
 * One cell's Image parameters: the shared settings with the cell's prompt, base, aspect ratio and seed; settings a
 * Flux base does not take are dropped, as the form itself does when Flux is chosen.
 */
export function cellParams(
  shared: Record<string, unknown>,
  cell: { prompt: string; base: BatchBase; aspectRatio: (typeof ASPECT_RATIOS)[number]; seed: number | null },
): Record<string, unknown> {
  const params: Record<string, unknown> = { ...shared, prompt: cell.prompt, base: cell.base, aspectRatio: cell.aspectRatio, seed: cell.seed };
  if (isFluxBase(cell.base)) {
    for (const field of ["guidance", "steps", "sampler", "quality"]) delete params[field];
    params.loras = [];
    params.negativePrompt = "";
    const controlNet = params.controlNet as Record<string, unknown> | null | undefined;
    if (controlNet) params.controlNet = { ...controlNet, controlMode: 0, resizeMode: 0 };
  }
  return params;
}

/** POST /api/w/<slug>/batches/plan: the totals before anything runs. */
export const planBatchSchema = z.object({ plan: batchPlanSchema });

export const startBatchSchema = z.object({
  workspace: workspaceRef,
  name: z.string({ error: "Name the batch." }).trim().min(1, "Name the batch.").max(BATCH_NAME_MAX, `Keep the name under ${BATCH_NAME_MAX} characters.`),
  capCredits: z
    .number({ error: "Set a credit cap." })
    .int("The cap is a whole number of credits.")
    .min(1, "The cap is at least 1 credit.")
    .max(BATCH_CAP_MAX, `The cap is at most ${BATCH_CAP_MAX.toLocaleString("en-US")} credits.`),
  plan: batchPlanSchema,
});

const batchRef = { workspace: workspaceRef, batchId: z.string().min(1).max(64) };
export const pauseBatchSchema = z.object(batchRef);
export const cancelBatchSchema = z.object(batchRef);
/** Resume, optionally with a higher cap (a batch stopped at its cap resumes only past it). */
export const resumeBatchSchema = z.object({
  ...batchRef,
  capCredits: z.number().int("The cap is a whole number of credits.").min(1).max(BATCH_CAP_MAX).optional(),
});

/** The stored plan: the matrix with its seeds drawn, so every cell is fixed once the batch starts. */
export type StoredBatchPlan = {
  settings: Record<string, unknown>;
  prompts: string[];
  bases: BatchBase[];
  aspectRatios: (typeof ASPECT_RATIOS)[number][];
  seeds: { mode: "list"; values: number[] };
};

/** The dimensions a contact sheet lays out on its axes. */
export const SHEET_DIMENSIONS = ["prompt", "base", "aspectRatio", "seed"] as const;
export type SheetDimension = (typeof SHEET_DIMENSIONS)[number];
