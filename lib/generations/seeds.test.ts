import { afterEach, describe, expect, it, vi } from "vitest";
import { CHOSEN_SEED_MAX, chooseSeed, seedOf, takesSeed, withChosenSeed, withRandomSeed } from "@/lib/generations/seeds";
import type { GenerationRequest } from "@/lib/validation/generations";

const image = (seed: number | null): GenerationRequest => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt: "a lighthouse",
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize: 4,
    seed,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

afterEach(() => vi.restoreAllMocks());

describe("seeds", () => {
  it("only the Image tool takes a seed (the only provider items whose contract has one)", () => {
    expect(takesSeed("IMAGE")).toBe(true);
    for (const tool of ["EDIT", "ENHANCE", "NARRATOR", "IMAGE_TO_VIDEO", "CONTROLNET"] as const) expect(takesSeed(tool)).toBe(false);
  });

  it("chooses seeds so that seed + i of a 4-image batch stays a signed 32-bit integer", () => {
    expect(CHOSEN_SEED_MAX + 3).toBe(2 ** 31 - 1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const seed = chooseSeed();
      expect(Number.isInteger(seed) && seed >= 0 && seed <= CHOSEN_SEED_MAX).toBe(true);
      seen.add(seed);
    }
    expect(seen.size).toBeGreaterThan(1990); // 2000 draws from 2^31 values: a repeat is rare, many would be a bug
  });

  it("draws from the platform's CSPRNG, rejects the uneven top of the 32-bit range, and never repeats `avoid`", () => {
    const words = [0xffff_ffff, 5, 5, 6]; // the first is past the last whole multiple of the range: rejected
    const spy = vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(((array: Uint32Array) => {
      array[0] = words.shift()!;
      return array;
    }) as typeof globalThis.crypto.getRandomValues);
    expect(chooseSeed(5)).toBe(6);
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it("fills a random seed, keeps a chosen one, and leaves tools without seeds alone", () => {
    const chosen = withChosenSeed(image(null));
    expect(chosen.tool === "IMAGE" && chosen.params.seed).toEqual(expect.any(Number));
    expect({ ...chosen, params: { ...chosen.params, seed: null } }).toEqual(image(null));
    const fixed = image(42);
    expect(withChosenSeed(fixed)).toBe(fixed);
    const edit: GenerationRequest = { tool: "EDIT", params: { image: { kind: "asset", id: "a1" }, find: "sun", replace: "moon" } };
    expect(withChosenSeed(edit)).toBe(edit);
    expect(withRandomSeed(edit)).toBe(edit);
    expect(withRandomSeed(fixed)).toEqual(image(null));
  });

  it("reads a recorded seed: a number, null when unknown, undefined for tools without one", () => {
    expect(seedOf("IMAGE", { seed: 1234 })).toBe(1234);
    expect(seedOf("IMAGE", { seed: 0 })).toBe(0);
    for (const junk of [{ seed: null }, {}, null, "x", { seed: -1 }, { seed: 1.5 }, { seed: "12" }, { seed: 2 ** 60 }]) expect(seedOf("IMAGE", junk)).toBeNull();
    expect(seedOf("CONTROLNET", { seed: 3 })).toBeUndefined();
  });
});
