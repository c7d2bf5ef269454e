import { describe, expect, it } from "vitest";
import type { CatalogDTO } from "@/lib/generations/types";
import { gapAlerts, presetGaps, presetGapsSentence } from "@/lib/generations-client/preset-gaps";

const entry = (name: string, baseModel: string | null = "sdxl") => ({ name, baseModel, thumbnail: null });
const catalog: CatalogDTO = {
  models: [entry("JuggernautXL"), entry("Flux", "flux")],
  styles: [entry("Watercolour")],
  fluxStyles: [entry("Neon", "flux")],
  loras: [entry("Film grain")],
  controlNets: [entry("canny-sdxl")],
  fluxControlNets: [entry("flux-depth", "flux")],
  voices: [{ name: "Maya" }],
  characters: [{ id: "c1", name: "Mira", system: false, thumbnail: null, type: null, description: null } as unknown as CatalogDTO["characters"][number]],
};

const image = {
  base: { kind: "model", name: "JuggernautXL" },
  loras: [{ name: "Film grain", weight: 0.5 }],
  controlNet: { name: "canny-sdxl" },
  character: { id: "c1", name: "Mira", mode: "balanced" },
};

describe("preset gaps", () => {
  it("finds nothing when everything named is listed, or while the catalogue is not loaded", () => {
    expect(presetGaps("IMAGE", image, catalog, "RenderNet")).toEqual([]);
    expect(presetGaps("IMAGE", { ...image, base: { kind: "style", name: "Neon" } }, catalog, "RenderNet")).toEqual([]);
    expect(presetGaps("IMAGE", { ...image, base: { kind: "model", name: "Gone" } }, undefined, "RenderNet")).toEqual([]);
    expect(presetGaps("EDIT", { find: "a", replace: "b" }, catalog, "RenderNet")).toEqual([]);
  });

  it("names each model, style, LoRA, ControlNet, character and voice the catalogue no longer lists", () => {
    const gaps = presetGaps(
      "IMAGE",
      {
        base: { kind: "style", name: "JuggernautXL" }, // a model's name is not a style
        loras: [{ name: "Film grain" }, { name: "Old LoRA" }, { name: "Older LoRA" }],
        controlNet: { name: "retired-canny" },
        character: { id: "c9", name: "Zed" },
      },
      catalog,
      "RenderNet",
    );
    expect(gapAlerts(gaps)).toEqual({
      base: "RenderNet no longer lists the style “JuggernautXL”. Choose another model or style.",
      loras: "RenderNet no longer lists the LoRAs “Old LoRA”, “Older LoRA”. Remove them, or add others.",
      "controlNet.name": "RenderNet no longer lists the ControlNet “retired-canny”. Choose another.",
      "character.id": "RenderNet no longer lists the character “Zed”. Choose another.",
    });
    expect(presetGapsSentence("Portrait", gaps.slice(0, 2), "RenderNet")).toBe(
      "The preset “Portrait” names the style “JuggernautXL” and the LoRAs “Old LoRA”, “Older LoRA”, which RenderNet no longer lists. Choose others below before generating.",
    );
    expect(presetGapsSentence("Portrait", [], "RenderNet")).toBeNull();
    // A ControlNet or character switched off is not a gap.
    expect(presetGaps("IMAGE", { ...image, controlNet: null, character: null }, catalog, "RenderNet")).toEqual([]);
  });

  it("checks the narrator's voice only in script mode", () => {
    expect(gapAlerts(presetGaps("NARRATOR", { mode: "script", voice: "Bob" }, catalog, "RenderNet"))).toEqual({
      voice: "RenderNet no longer lists the voice “Bob”. Choose another.",
    });
    expect(presetGaps("NARRATOR", { mode: "audio", voice: "Bob" }, catalog, "RenderNet")).toEqual([]);
    expect(presetGaps("NARRATOR", { mode: "script", voice: "Maya" }, catalog, "RenderNet")).toEqual([]);
  });
});
