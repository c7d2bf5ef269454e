import { describe, expect, it } from "vitest";
import { expectedOutputs } from "@/lib/validation/run-outputs";

describe("expectedOutputs", () => {
  it("reads an image run's batch and aspect ratio", () => {
    expect(expectedOutputs("IMAGE", { batchSize: 2, aspectRatio: "16:9", prompt: "x" })).toEqual({ count: 2, aspect: "16 / 9" });
    expect(expectedOutputs("IMAGE", { batchSize: 1, aspectRatio: "2:3" })).toEqual({ count: 1, aspect: "2 / 3" });
  });

  it("reads ControlNet's batch; its shape comes from its input", () => {
    expect(expectedOutputs("CONTROLNET", { batch: 3 })).toEqual({ count: 3, aspect: null });
  });

  it("answers one output of unknown shape for settings that don't say, or that can't be right", () => {
    expect(expectedOutputs("EDIT", { find: "a", replace: "b" })).toEqual({ count: 1, aspect: null });
    expect(expectedOutputs("IMAGE", null)).toEqual({ count: 1, aspect: null });
    expect(expectedOutputs("IMAGE", { batchSize: "4", aspectRatio: "7:5" })).toEqual({ count: 1, aspect: null });
    expect(expectedOutputs("IMAGE", { batchSize: 50, aspectRatio: "1:1" })).toEqual({ count: 4, aspect: "1 / 1" });
  });
});
