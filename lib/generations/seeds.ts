/**
 * Seeds: every run of a tool whose provider takes a seed is sent with one and records it, so "Reuse settings" and
 * Vary can reproduce or vary it. A module without server dependencies: the browser reads `seedOf` too.
 *
 * Which tools: only RenderNet's image items (`model` / `style_detail`, Flux included) carry `seed` in the contract
 * (rendernet.openapi.yaml, GenerationRequest.seed). segment, true_touch, narrator and video_anyone ignore every field
 * outside their own object, which has no seed, and Qolaba's bodies have none: those tools get no seed.
 *
 * The range Atelier chooses from: the contract says only "integer" (RenderNet randomizes when none is sent). The
 * sandbox draws its own in [0, 2^31 - 1) and gives image i of a batch `seed + i`, and diffusion back ends commonly
 * keep seeds in 32 bits, some signed. So a chosen seed lies in [0, 2^31 - MAX_BATCH]: image i of any batch still
 * has a seed that fits a signed 32-bit integer. (A seed typed by the user keeps the form's wider 0..2^32 - 1.)
 */
import type { GenerationRequest, ToolId } from "@/lib/validation/generations";
import { MAX_BATCH } from "@/lib/validation/run-limits";

export const SEED_TOOLS: ReadonlySet<ToolId> = new Set<ToolId>(["IMAGE"]);

/** The largest seed Atelier chooses by itself (2^31 - 4): `seed + i` for image i of a batch stays below 2^31. */
export const CHOSEN_SEED_MAX = 2 ** 31 - MAX_BATCH;

export function takesSeed(tool: ToolId): boolean {
  return SEED_TOOLS.has(tool);
}

/**
 * A run's recorded seed: a number; null when the tool takes a seed but none was recorded (a run stored before
 * Atelier chose seeds, "random and unknown"); undefined for tools that take no seed.
 */
export function seedOf(tool: ToolId, params: unknown): number | null | undefined {
  if (!takesSeed(tool)) return undefined;
  const seed = params !== null && typeof params === "object" ? (params as { seed?: unknown }).seed : undefined;
  return typeof seed === "number" && Number.isSafeInteger(seed) && seed >= 0 ? seed : null;
}

/** A uniformly drawn seed in [0, CHOSEN_SEED_MAX] from the platform's CSPRNG, different from `avoid`. */
export function chooseSeed(avoid?: number | null): number {
  const range = CHOSEN_SEED_MAX + 1; // 2^31 - 3 values: reject the top of the 2^32 draw so every value is as likely
  const limit = Math.floor(2 ** 32 / range) * range;
  const word = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(word);
    if (word[0]! >= limit) continue;
    const seed = word[0]! % range;
    if (seed !== avoid) return seed;
  }
}

/**
 * The run as it will be sent and recorded: a tool that takes a seed and was left on "random" gets one chosen here
 * (never `avoid`, the seed of the run being varied). Any other run is returned as it is (the same object).
 */
export function withChosenSeed(run: GenerationRequest, avoid?: number | null): GenerationRequest {
  if (run.tool !== "IMAGE" || run.params.seed !== null) return run;
  return { ...run, params: { ...run.params, seed: chooseSeed(avoid) } };
}

/** The run with its seed set back to "random" (for Vary: the server then chooses a new one). */
export function withRandomSeed(run: GenerationRequest): GenerationRequest {
  return run.tool === "IMAGE" ? { ...run, params: { ...run.params, seed: null } } : run;
}
