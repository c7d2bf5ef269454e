import { describe, expect, it } from "vitest";
import { imageParams, narratorParams } from "@/lib/validation/generations";
import { coversPath, firstMessages, issueMessages } from "@/lib/validation/field-errors";
import { insertAt } from "@/lib/generations-client/prompt-tokens";
import { fieldOr } from "@/lib/generations-client/reuse-params";

describe("issueMessages (the tool forms' own check)", () => {
  it("keys the shared schema's messages by field path, first message per field", () => {
    const parsed = imageParams.safeParse({
      base: { kind: "model", name: "JuggernautXL", baseModel: "sdxl" },
      prompt: "",
      aspectRatio: "1:1",
      batchSize: 9,
      controlNet: { name: "", image: null },
    });
    expect(parsed.success).toBe(false);
    const errors = issueMessages(parsed.error!.issues);
    expect(errors).toMatchObject({ prompt: "Describe the image.", batchSize: "At most 4 images per run.", "controlNet.name": "Choose a ControlNet.", "controlNet.image": "Choose a file." });
  });

  it("carries the narrator's either-or rule to the field that is missing", () => {
    const parsed = narratorParams.safeParse({ video: { kind: "asset", id: "a1" }, mode: "audio" });
    expect(issueMessages(parsed.error!.issues)).toEqual({ audio: "Choose an audio file." });
  });
});

describe("firstMessages under the tool forms' scopes", () => {
  it("strips the run prefix and ignores the whole-run key", () => {
    expect(firstMessages({ "run.params.prompt": ["Too long."], run: ["Invalid run."], "params.image": ["Not found."], seed: [] }, ["run.params", "params"])).toEqual({
      prompt: "Too long.",
      image: "Not found.",
    });
  });
});

describe("coversPath", () => {
  it("treats a touched section as touching its fields, not the other way round", () => {
    expect(coversPath(new Set(["controlNet"]), "controlNet.image")).toBe(true);
    expect(coversPath(new Set(["controlNet.image"]), "controlNet")).toBe(false);
    expect(coversPath(new Set(["prompt"]), "promptExtra")).toBe(false);
  });
});

describe("insertAt", () => {
  it("puts a token at the caret with spaces only where words would touch", () => {
    expect(insertAt("walks on a beach", "{Alex}", 0, 0)).toEqual({ value: "{Alex} walks on a beach", caret: 7 });
    expect(insertAt("portrait of", "{Alex}", 11, 11)).toEqual({ value: "portrait of {Alex}", caret: 18 });
    expect(insertAt("hi there, friend", "{Maya}", 8, 8).value).toBe("hi there {Maya}, friend");
    expect(insertAt("replace ME please", "{Kenji}", 8, 10).value).toBe("replace {Kenji} please");
  });
});

describe("fieldOr", () => {
  it("keeps a stored value that still passes its field's schema, else the default", () => {
    expect(fieldOr(imageParams.shape.batchSize, 3, 1)).toBe(3);
    expect(fieldOr(imageParams.shape.batchSize, 12, 1)).toBe(1);
    expect(fieldOr(imageParams.shape.aspectRatio, undefined, "1:1")).toBe("1:1");
  });
});
