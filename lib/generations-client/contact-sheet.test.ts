import { describe, expect, it } from "vitest";
import { defaultAxes, layoutSheet } from "@/lib/generations-client/contact-sheet";
import type { StoredBatchPlan } from "@/lib/validation/batches";

const plan: StoredBatchPlan = {
  settings: {},
  prompts: ["a lighthouse", "a harbour", "a cliff"],
  bases: [
    { kind: "model", name: "JuggernautXL", baseModel: "sdxl" },
    { kind: "style", name: "Anime", baseModel: "sd15" },
  ],
  aspectRatios: ["1:1", "3:2"],
  seeds: { mode: "list", values: [7] },
};

describe("a contact sheet's layout", () => {
  it("puts prompts down the side and the first other varying dimension across", () => {
    expect(defaultAxes(plan)).toEqual({ rows: "prompt", columns: "base" });
    expect(defaultAxes({ ...plan, prompts: ["one"], bases: [plan.bases[0]!] })).toEqual({ rows: "aspectRatio", columns: "prompt" });
  });

  it("places every cell once, stacking the dimensions left off the axes", () => {
    const sheet = layoutSheet(plan, 12, { rows: "prompt", columns: "base" });
    expect(sheet.rows).toEqual(["a lighthouse", "a harbour", "a cliff"]);
    expect(sheet.columns).toEqual(["JuggernautXL", "Anime (style)"]);
    // Cell order: prompt, base, aspect ratio, seed; each square holds both aspect ratios of its prompt × base.
    expect(sheet.squares[0]![0]).toEqual([0, 1]);
    expect(sheet.squares[0]![1]).toEqual([2, 3]);
    expect(sheet.squares[2]![1]).toEqual([10, 11]);
    expect(sheet.squares.flat(2).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });

  it("lays out by aspect ratio across and model down as well", () => {
    const sheet = layoutSheet(plan, 12, { rows: "base", columns: "aspectRatio" });
    expect(sheet.columns).toEqual(["1:1", "3:2"]);
    expect(sheet.squares[1]![0]).toEqual([2, 6, 10]);
  });
});
