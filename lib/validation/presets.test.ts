import { describe, expect, it } from "vitest";
import { createPresetSchema, parsePresetParams, parsePresetListQuery } from "@/lib/validation/presets";

const file = { kind: "asset", id: "a-file" };

describe("preset params", () => {
  it("drops every input of every tool, and keeps the rest as the tool's schema reads it", () => {
    expect(parsePresetParams("ENHANCE", { image: file, strength: 0.25, scale: 1.5 })).toEqual({ ok: true, params: { strength: 0.25, scale: 1.5 } });
    expect(parsePresetParams("IMAGE_TO_VIDEO", { image: file, prompt: "", duration: 10 })).toEqual({ ok: true, params: { prompt: "", duration: 10 } });
    expect(parsePresetParams("CONTROLNET", { image: file, kind: "pose", prompt: " a dancer ", guidance: 7, batch: 2, strength: 0.5, steps: 20, gpu: "h100" })).toEqual({
      ok: true,
      params: { kind: "pose", prompt: "a dancer", negativePrompt: "", guidance: 7, batch: 2, strength: 0.5, steps: 20, gpu: "h100" },
    });
    expect(parsePresetParams("NARRATOR", { video: file, audio: file, face: file, mode: "script", script: "Hello", voice: "Maya" })).toEqual({
      ok: true,
      params: { mode: "script", script: "Hello", voice: "Maya" },
    });
    expect(parsePresetParams("NARRATOR", { video: file, mode: "audio" })).toEqual({ ok: true, params: { mode: "audio", script: "", voice: "" } });
  });

  it("keeps the tool's own rules: a narrator's script needs its voice, a ControlNet its strength, Image its model", () => {
    expect(parsePresetParams("NARRATOR", { mode: "script", script: "Hi", voice: "" })).toMatchObject({ ok: false, issues: [{ path: ["voice"], message: "Choose a voice." }] });
    expect(parsePresetParams("CONTROLNET", { kind: "pose", prompt: "x", guidance: 7, batch: 2, strength: 0, steps: 20, gpu: "h100" })).toMatchObject({
      ok: false,
      issues: [{ path: ["strength"] }],
    });
    expect(parsePresetParams("IMAGE", { prompt: "x", aspectRatio: "1:1", batchSize: 1 })).toMatchObject({ ok: false, issues: [{ path: ["base"] }] });
    expect(parsePresetParams("IMAGE", null)).toMatchObject({ ok: false });
  });

  it("lets the text written per run be empty, and keeps it empty", () => {
    expect(parsePresetParams("EDIT", { image: file, find: "", replace: "  " })).toEqual({ ok: true, params: { find: "", replace: "" } });
    const image = parsePresetParams("IMAGE", { base: { kind: "model", name: "Flux" }, prompt: "", aspectRatio: "2:3", batchSize: 3, seed: 99, faceLock: { image: file } });
    expect(image).toEqual({
      ok: true,
      params: { base: { kind: "model", name: "Flux" }, prompt: "", negativePrompt: "", aspectRatio: "2:3", batchSize: 3, loras: [], controlNet: null, faceLock: {}, character: null },
    });
  });

  it("the create schema reports the params' refusals under params.<field>, and the list query names its tool", () => {
    const refused = createPresetSchema.safeParse({ workspace: "team", tool: "ENHANCE", name: "Crisp", params: { strength: 2, scale: 2 } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join("."))).toEqual(["params.strength"]);
    expect(parsePresetListQuery(new URLSearchParams("tool=EDIT"))).toEqual({ ok: true, tool: "EDIT" });
    expect(parsePresetListQuery(new URLSearchParams("tool=edit"))).toMatchObject({ ok: false });
  });
});
