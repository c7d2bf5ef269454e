import { describe, expect, it } from "vitest";
import { batchDimensions, batchPlanSchema, batchSize, cellCoords, cellParams, startBatchSchema, type BatchPlanInput } from "@/lib/validation/batches";

const settings = {
  negativePrompt: "blurry",
  batchSize: 1,
  guidance: 7,
  steps: 20,
  sampler: "DPM++ 2M Karras",
  quality: "Regular",
  loras: [{ name: "Detail Tweaker", weight: 0.5 }],
  controlNet: null,
  faceLock: null,
  character: null,
};
const juggernaut = { kind: "model" as const, name: "JuggernautXL", baseModel: "sdxl" };
const flux = { kind: "model" as const, name: "Flux", baseModel: "flux" };

const plan = (over: Partial<BatchPlanInput> = {}): BatchPlanInput => ({
  settings,
  prompts: ["a lighthouse", "a harbour", "a cliff"],
  bases: [juggernaut, { kind: "model", name: "DreamShaper", baseModel: "sd15" }],
  aspectRatios: ["1:1", "3:2"],
  seeds: { mode: "random", count: 1 },
  ...over,
});

describe("the batch plan's arithmetic", () => {
  it("counts prompts × bases × aspect ratios × seeds", () => {
    expect(batchSize(batchPlanSchema.parse(plan()))).toBe(12);
    expect(batchSize(batchPlanSchema.parse(plan({ seeds: { mode: "list", values: [1, 2, 3] } })))).toBe(36);
  });

  it("numbers cells row-major, the seed fastest, each coordinate once", () => {
    const dims = batchDimensions(batchPlanSchema.parse(plan({ seeds: { mode: "list", values: [1, 2] } })));
    expect(cellCoords(dims, 0)).toEqual({ prompt: 0, base: 0, aspectRatio: 0, seed: 0 });
    expect(cellCoords(dims, 1)).toEqual({ prompt: 0, base: 0, aspectRatio: 0, seed: 1 });
    expect(cellCoords(dims, 2)).toEqual({ prompt: 0, base: 0, aspectRatio: 1, seed: 0 });
    expect(cellCoords(dims, 4)).toEqual({ prompt: 0, base: 1, aspectRatio: 0, seed: 0 });
    expect(cellCoords(dims, 23)).toEqual({ prompt: 2, base: 1, aspectRatio: 1, seed: 1 });
    const seen = new Set(Array.from({ length: 24 }, (_, n) => JSON.stringify(cellCoords(dims, n))));
    expect(seen.size).toBe(24);
  });
});

describe("the batch plan's limits", () => {
  it("refuses a matrix over 1,000 runs, naming its size", () => {
    const prompts = Array.from({ length: 200 }, (_, i) => `prompt ${i}`);
    const result = batchPlanSchema.safeParse(plan({ prompts, aspectRatios: ["1:1", "3:2", "2:3"] }));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe("That is 1,200 runs; a batch holds at most 1,000.");
    expect(batchPlanSchema.safeParse(plan({ prompts: prompts.slice(0, 125), bases: [juggernaut, flux], aspectRatios: ["1:1", "3:2", "2:3", "9:16"] })).success).toBe(true);
  });

  it("bounds each list and each prompt", () => {
    const tooMany = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
    expect(batchPlanSchema.safeParse(plan({ prompts: tooMany(201), aspectRatios: ["1:1"], bases: [juggernaut] })).error!.issues[0]!.message).toBe("At most 200 prompts.");
    expect(batchPlanSchema.safeParse(plan({ prompts: ["x".repeat(2001)] })).error!.issues[0]!.message).toBe("Keep each prompt under 2000 characters.");
    expect(batchPlanSchema.safeParse(plan({ prompts: [] })).success).toBe(false);
    expect(batchPlanSchema.safeParse(plan({ bases: Array.from({ length: 9 }, () => juggernaut) })).error!.issues[0]!.message).toBe("At most 8 models or styles.");
    expect(batchPlanSchema.safeParse(plan({ seeds: { mode: "random", count: 51 } })).error!.issues[0]!.message).toBe("At most 50 seeds.");
    expect(batchPlanSchema.safeParse(plan({ seeds: { mode: "list", values: [-1] } })).success).toBe(false);
    expect(startBatchSchema.safeParse({ workspace: "w", name: "x", capCredits: 0, plan: plan() }).success).toBe(false);
  });

  it("checks the shared settings against each model or style with the Image tool's schema", () => {
    const bad = batchPlanSchema.safeParse(plan({ settings: { ...settings, steps: 99 } }));
    expect(bad.error!.issues[0]).toMatchObject({ path: ["settings", "steps"], message: "JuggernautXL: Steps go from 10 to 30." });
    expect(batchPlanSchema.safeParse(plan({ bases: [flux] })).success).toBe(true);
  });

  it("asks for the character's token in every prompt", () => {
    const withCharacter = { ...settings, character: { id: "chr_1", name: "Mara", mode: "balanced" } };
    const result = batchPlanSchema.safeParse(plan({ settings: withCharacter, prompts: ["{Mara} on a cliff", "a harbour"] }));
    expect(result.error!.issues.map((i) => i.message)).toEqual(["Put {Mara} in prompt 2."]);
  });

  it("drops what Flux does not take, as the form does", () => {
    const params = cellParams(settings, { prompt: "p", base: flux, aspectRatio: "1:1", seed: 3 });
    expect(params).not.toHaveProperty("steps");
    expect(params).toMatchObject({ loras: [], negativePrompt: "", prompt: "p", seed: 3 });
    expect(cellParams(settings, { prompt: "p", base: juggernaut, aspectRatio: "1:1", seed: 3 })).toMatchObject({ steps: 20, negativePrompt: "blurry" });
  });
});
