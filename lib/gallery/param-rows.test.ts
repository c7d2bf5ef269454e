import { describe, expect, it } from "vitest";
import { compareRows, paramRows } from "@/lib/gallery/param-rows";

describe("param rows", () => {
  it("labels a run's settings and leaves out empty and hidden ones", () => {
    expect(
      paramRows({ prompt: "a fox", negativePrompt: "", aspectRatio: "1:1", loras: [{ name: "Film", weight: 0.8 }], image: { kind: "media", id: "m1" } }, new Set(["prompt"])),
    ).toEqual([
      ["Aspect ratio", "1:1"],
      ["Loras", "Film (0.8)"],
      ["Image", "A gallery item"],
    ]);
  });

  it("lines runs up setting by setting, marks what differs, and leaves a gap where a run has no such setting", () => {
    const rows = compareRows([
      { facts: [["Tool", "Image"], ["Prompt", "a fox"], ["Seed", "7"]], params: { prompt: "a fox", seed: 7, aspectRatio: "1:1", steps: 20 } },
      { facts: [["Tool", "Image"], ["Prompt", "a fox"], ["Seed", "8"]], params: { prompt: "a fox", seed: 8, aspectRatio: "16:9", steps: 20 } },
      { facts: [["Tool", "ControlNet"], ["Prompt", "a fox"], ["Seed", null]], params: { prompt: "a fox", kind: "canny" } },
    ]);
    expect(rows).toEqual([
      { label: "Tool", values: ["Image", "Image", "ControlNet"], differs: true },
      { label: "Prompt", values: ["a fox", "a fox", "a fox"], differs: false },
      { label: "Seed", values: ["7", "8", null], differs: true },
      { label: "Aspect ratio", values: ["1:1", "16:9", null], differs: true },
      { label: "Steps", values: ["20", "20", null], differs: true },
      { label: "Kind", values: [null, null, "canny"], differs: true },
    ]);
  });
});
