import { describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/http/errors";
import {
  checkGenerationItems,
  generationItemSchema,
  imageItem,
  narratorItem,
  segmentItem,
  trueTouchItem,
  validateGenerationItems,
  videoAnyoneItem,
  type GenerationCatalog,
} from "@/lib/providers/rendernet/request-schemas";

const prompt = { positive: "a lighthouse at dusk", negative: "blurry" };
const sdxl = { model: "JuggernautXL", prompt };
const flux = { model: "Flux", prompt };

function refusal(items: unknown, catalog?: GenerationCatalog): ProviderError {
  try {
    validateGenerationItems(items, catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error("expected a refusal");
}

describe("generation items: refused before sending", () => {
  const cases: [string, unknown, string, string?][] = [
    ["aspect ratio", { ...sdxl, aspect_ratio: "4:3" }, "items[0].aspect_ratio", "must be one of 1:1, 2:3, 3:2, 4:5, 16:9, 9:16"],
    ["quality", { ...sdxl, quality: "plus" }, "items[0].quality", "must be one of Plus, Regular"],
    ["sampler", { ...sdxl, sampler: "Euler" }, "items[0].sampler"],
    ["cfg_scale low", { ...sdxl, cfg_scale: 3.9 }, "items[0].cfg_scale", "must be between 4 and 12"],
    ["cfg_scale high", { ...sdxl, cfg_scale: 12.5 }, "items[0].cfg_scale", "must be between 4 and 12"],
    ["steps low", { ...sdxl, steps: 9 }, "items[0].steps", "must be between 10 and 30"],
    ["steps high", { ...sdxl, steps: 31 }, "items[0].steps", "must be between 10 and 30"],
    ["steps fraction", { ...sdxl, steps: 12.5 }, "items[0].steps", "must be a whole number"],
    ["batch_size", { ...sdxl, batch_size: 5 }, "items[0].batch_size", "must be between 1 and 4"],
    ["batch_size zero", { ...sdxl, batch_size: 0 }, "items[0].batch_size"],
    ["lora weight", { ...sdxl, loras: [{ name: "a", weight: 0.5 }, { name: "b", weight: 1.2 }] }, "items[0].loras[1].weight", "must be between 0.1 and 1"],
    ["lora weight low", { ...sdxl, loras: [{ name: "a", weight: 0.05 }] }, "items[0].loras[0].weight"],
    ["lora name", { ...sdxl, loras: [{ weight: 0.5 }] }, "items[0].loras[0].name", "is required"],
    ["prompt missing", { model: "JuggernautXL" }, "items[0].prompt", "is required"],
    ["positive missing", { model: "JuggernautXL", prompt: { negative: "" } }, "items[0].prompt.positive", "is required"],
    ["positive empty", { model: "JuggernautXL", prompt: { positive: "  ", negative: "" } }, "items[0].prompt.positive", "must not be empty"],
    ["character mode", { ...sdxl, prompt: { positive: "{Alex} hiking", negative: "" }, character: { character_id: "chr_1" } }, "items[0].character.mode", "is required"],
    ["character mode value", { ...sdxl, prompt: { positive: "{Alex}", negative: "" }, character: { character_id: "chr_1", mode: "weak" } }, "items[0].character.mode"],
    ["character id", { ...sdxl, prompt: { positive: "{Alex}", negative: "" }, character: { mode: "balanced" } }, "items[0].character.character_id", "is required"],
    ["character braces", { ...sdxl, character: { character_id: "chr_1", mode: "balanced" } }, "items[0].prompt.positive"],
    ["character weight", { ...sdxl, prompt: { positive: "{Alex}", negative: "" }, character: { character_id: "c", mode: "strong", weight: 2 } }, "items[0].character.weight"],
    ["control_net asset", { ...sdxl, control_net: { name: "Canny", control_mode: 0, resize_mode: 0 } }, "items[0].control_net.asset_id", "is required"],
    ["control_net name", { ...sdxl, control_net: { asset_id: "ast_1", control_mode: 0, resize_mode: 0 } }, "items[0].control_net.name", "is required"],
    ["control_net mode", { ...sdxl, control_net: { asset_id: "ast_1", name: "Canny", control_mode: 3, resize_mode: 0 } }, "items[0].control_net.control_mode", "must be 0, 1 or 2"],
    ["control_net modes required", { ...sdxl, control_net: { asset_id: "ast_1", name: "Canny" } }, "items[0].control_net.control_mode", "is required"],
    ["negative prompt required", { model: "JuggernautXL", prompt: { positive: "a cat" } }, "items[0].prompt.negative", "is required"],
    ["control_net resize", { ...sdxl, control_net: { asset_id: "ast_1", name: "Canny", control_mode: 0, resize_mode: "0" } }, "items[0].control_net.resize_mode"],
    ["facelock", { ...sdxl, facelock: {} }, "items[0].facelock.asset_id", "is required"],
    ["seed", { ...sdxl, seed: 1.5 }, "items[0].seed", "must be a whole number"],
    ["no tool", { prompt }, "items[0]", "must contain exactly one of segment, style_detail, model, true_touch, narrator, video_anyone"],
    ["two tools", { ...sdxl, style_detail: { name: "Bokeh" } }, "items[0].model", "cannot be combined with style_detail in one item; send one tool per item"],
    ["segment + model", { model: "JuggernautXL", prompt, segment: { asset_id: "a", find: "b", replace: "c" } }, "items[0].model"],
    ["style + style_detail", { style: "Bokeh", style_detail: { name: "Bokeh" }, prompt }, "items[0].style"],
    ["segment fields", { segment: { asset_id: "a", find: "", replace: "c" } }, "items[0].segment.find", "must not be empty"],
    ["segment extra", { segment: { asset_id: "a", find: "b", replace: "c" }, seed: 3 }, "items[0].seed", "is not used by segment generations; remove it"],
    ["true_touch scale", { true_touch: { asset_id: "a", enhance_strength: 0.5, scale_factor: 4 } }, "items[0].true_touch.scale_factor", "must be one of 1, 1.5, 2, 2.5, 3"],
    ["true_touch scale string", { true_touch: { asset_id: "a", enhance_strength: 0.5, scale_factor: "1.5" } }, "items[0].true_touch.scale_factor"],
    ["true_touch strength", { true_touch: { asset_id: "a", enhance_strength: 1.1, scale_factor: 2 } }, "items[0].true_touch.enhance_strength", "must be between 0 and 1"],
    ["true_touch strength missing", { true_touch: { asset_id: "a", scale_factor: 2 } }, "items[0].true_touch.enhance_strength", "is required"],
    ["true_touch extra", { true_touch: { asset_id: "a", enhance_strength: 0.2, scale_factor: 2 }, prompt }, "items[0].prompt"],
    ["video prompt", { video_anyone: { media_id: "m", prompt: "x".repeat(501) } }, "items[0].video_anyone.prompt", "must be at most 500 characters"],
    ["video duration", { video_anyone: { media_id: "m", duration: 7 } }, "items[0].video_anyone.duration", "must be 5 or 10"],
    ["video media", { video_anyone: { prompt: "go" } }, "items[0].video_anyone.media_id", "is required"],
    ["video extra", { video_anyone: { media_id: "m" }, aspect_ratio: "1:1" }, "items[0].aspect_ratio"],
    ["narrator video", { narrator: { script: "hi", voice: "Rachel" } }, "items[0].narrator.video_asset_id", "is required"],
    ["narrator nothing", { narrator: { video_asset_id: "v" } }, "items[0].narrator", "needs either script and voice, or audio_asset_id"],
    ["narrator both", { narrator: { video_asset_id: "v", script: "hi", voice: "Rachel", audio_asset_id: "a" } }, "items[0].narrator.audio_asset_id"],
    ["narrator no voice", { narrator: { video_asset_id: "v", script: "hi" } }, "items[0].narrator.voice", "is required with script"],
    ["narrator voice only", { narrator: { video_asset_id: "v", voice: "Rachel" } }, "items[0].narrator.script", "is required with voice"],
    ["flux loras", { ...flux, loras: [{ name: "a", weight: 0.5 }] }, "items[0].loras", "does not apply to Flux; remove it"],
    ["flux cfg", { ...flux, cfg_scale: 7 }, "items[0].cfg_scale", "does not apply to Flux; remove it"],
    ["flux steps", { ...flux, steps: 20 }, "items[0].steps"],
    ["flux sampler", { ...flux, sampler: "Euler a" }, "items[0].sampler"],
    ["flux quality", { ...flux, quality: "Plus" }, "items[0].quality"],
    ["flux character weight", { ...flux, prompt: { positive: "{Alex}", negative: "" }, character: { character_id: "c", mode: "balanced", weight: 0.5 } }, "items[0].character.weight"],
    ["flux enable_facelock", { ...flux, prompt: { positive: "{Alex}", negative: "" }, character: { character_id: "c", mode: "balanced", enable_facelock: true } }, "items[0].character.enable_facelock"],
    ["flux control mode", { ...flux, control_net: { asset_id: "a", name: "Canny", control_mode: 2, resize_mode: 0 } }, "items[0].control_net.control_mode", "does not apply to Flux; leave it at 0"],
    ["flux style", { style_detail: { name: "Noir", base_model: "flux" }, prompt, steps: 20 }, "items[0].steps"],
  ];

  it.each(cases)("%s", (_name, item, field, message) => {
    const error = refusal([sdxl, item].slice(1));
    expect(error.cause).toBe("invalid_input");
    expect(error.provider).toBe("rendernet");
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field} `)).toBe(true);
    if (message) expect(error.message).toContain(`${field} ${message}`);
    expect(error.userMessage).toBe(error.message);
  });

  it("names the index of the bad item", () => {
    const error = refusal([sdxl, sdxl, { ...sdxl, loras: [{ name: "x", weight: 0.5 }, { name: "y", weight: 0 }] }]);
    expect(error.field).toBe("items[2].loras[1].weight");
    expect(error.message).toBe("items[2].loras[1].weight must be between 0.1 and 1");
  });

  it("refuses an empty array and a non-array", () => {
    expect(refusal([]).field).toBe("items");
    expect(refusal({ model: "x" }).field).toBe("items");
  });

  it("reports every problem in issues", () => {
    const result = checkGenerationItems([{ ...sdxl, cfg_scale: 1, steps: 99 }]);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues.map((issue) => issue.field)).toEqual(["items[0].cfg_scale", "items[0].steps"]);
  });
});

describe("generation items: valid examples and what is sent", () => {
  it("SDXL text-to-image with LoRAs, ControlNet, face lock and a character", () => {
    const [item] = validateGenerationItems([
      imageItem({
        model: "JuggernautXL",
        prompt: { positive: "{Alex} on a trek", negative: "" },
        aspect_ratio: "16:9",
        batch_size: 4,
        cfg_scale: 7,
        steps: 20,
        sampler: "DPM++ 2M Karras",
        quality: "Plus",
        seed: 1234,
        loras: [{ name: "detail", weight: 0.5 }],
        control_net: { asset_id: "ast_cn", name: "Canny", control_mode: 0, resize_mode: 0 },
        facelock: { asset_id: "ast_face" },
        character: { character_id: "chr_1", mode: "balanced" },
      }),
    ]);
    expect(item).toEqual({
      model: "JuggernautXL",
      prompt: { positive: "{Alex} on a trek", negative: "" },
      aspect_ratio: "16:9",
      batch_size: 4,
      cfg_scale: 7,
      steps: 20,
      sampler: "DPM++ 2M Karras",
      quality: "Plus",
      seed: 1234,
      loras: [{ name: "detail", weight: 0.5 }],
      control_net: { asset_id: "ast_cn", name: "Canny", control_mode: 0, resize_mode: 0 },
      facelock: { asset_id: "ast_face" },
      character: { character_id: "chr_1", mode: "balanced" },
    });
  });

  it("Flux text-to-image with ControlNet, face lock and a character (modes sent as 0)", () => {
    const [item] = validateGenerationItems([
      {
        model: "Flux",
        prompt: { positive: "{Alex} in the rain", negative: "" },
        aspect_ratio: "9:16",
        batch_size: 2,
        seed: 7,
        control_net: { asset_id: "ast_cn", name: "Pose", control_mode: 0, resize_mode: 0 },
        facelock: { asset_id: "ast_face" },
        character: { character_id: "chr_1", mode: "strong" },
      },
    ]);
    expect(item?.control_net).toEqual({ asset_id: "ast_cn", name: "Pose", control_mode: 0, resize_mode: 0 });
  });

  it("SD style via the legacy string is sent as style_detail", () => {
    const [item] = validateGenerationItems([{ style: "Bokeh", prompt, loras: [{ name: "x", weight: 1 }] }]);
    expect(item).toEqual({ style_detail: { name: "Bokeh" }, prompt, loras: [{ name: "x", weight: 1 }] });
    expect(item).not.toHaveProperty("style");
  });

  it("segment, true_touch, narrator (script and audio) and video_anyone", () => {
    const items = validateGenerationItems([
      segmentItem({ asset_id: "ast_1", find: "red shirt", replace: "blue shirt" }),
      trueTouchItem({ asset_id: "ast_1", enhance_strength: 0.5, scale_factor: 1.5 }),
      narratorItem({ video_asset_id: "ast_v", script: "Thank you for trying Narrator", voice: "Rachel", image_asset_id: "ast_i" }),
      narratorItem({ video_asset_id: "ast_v", audio_asset_id: "ast_a" }),
      videoAnyoneItem({ media_id: "ast_1", prompt: "x".repeat(500), duration: 10 }),
    ]);
    expect(items).toHaveLength(5);
    expect(items[1]).toEqual({ true_touch: { asset_id: "ast_1", enhance_strength: 0.5, scale_factor: 1.5 } });
    expect(items[3]).toEqual({ narrator: { video_asset_id: "ast_v", audio_asset_id: "ast_a" } });
  });

  it("strips unknown fields and undefined values", () => {
    const parsed = generationItemSchema.parse({ ...sdxl, seed: undefined, colour: "red" });
    expect(parsed).toEqual({ model: "JuggernautXL", prompt });
    expect(JSON.stringify(parsed)).not.toContain("colour");
  });
});

describe("catalogue rules", () => {
  const catalog: GenerationCatalog = {
    models: [{ name: "JuggernautXL", baseModel: "sdxl" }, { name: "DreamShaper", baseModel: "SD 1.5" }, { name: "Flux" }],
    styles: [{ name: "Bokeh", baseModel: "sdxl" }, { name: "Noir", baseModel: "flux" }],
    loras: [{ name: "detail-xl", baseModel: "sdxl" }, { name: "anime-15", baseModel: "sd1.5" }],
    controlNets: [{ name: "Canny", baseModel: "sdxl" }, { name: "Canny", baseModel: "flux" }, { name: "Depth15", baseModel: "sd 1.5" }],
    characters: [{ id: "chr_1", name: "Alex" }],
    voices: ["Rachel", { name: "Adam" }],
  };

  it("accepts matching base models", () => {
    expect(() =>
      validateGenerationItems(
        [
          { ...sdxl, loras: [{ name: "detail-xl", weight: 0.4 }], control_net: { asset_id: "a", name: "Canny", control_mode: 0, resize_mode: 0 } },
          { model: "DreamShaper", prompt, loras: [{ name: "anime-15", weight: 0.4 }], control_net: { asset_id: "a", name: "Depth15", control_mode: 0, resize_mode: 0 } },
          { ...flux, control_net: { asset_id: "a", name: "Canny", control_mode: 0, resize_mode: 0 } },
        ],
        catalog,
      ),
    ).not.toThrow();
  });

  it("names the LoRA and both base models on a mismatch", () => {
    const error = refusal([{ ...sdxl, loras: [{ name: "detail-xl", weight: 0.4 }, { name: "anime-15", weight: 0.5 }] }], catalog);
    expect(error.field).toBe("items[0].loras[1].name");
    expect(error.message).toBe(
      'items[0].loras[1].name "anime-15" is an SD 1.5 LoRA but model "JuggernautXL" is SDXL; they must share a base model',
    );
  });

  it("checks the ControlNet base model against a style", () => {
    const error = refusal([{ style_detail: { name: "Bokeh" }, prompt, control_net: { asset_id: "a", name: "Depth15", control_mode: 0, resize_mode: 0 } }], catalog);
    expect(error.field).toBe("items[0].control_net.name");
    expect(error.message).toContain("SD 1.5 ControlNet");
    expect(error.message).toContain('style "Bokeh" is SDXL');
  });

  it("fills style_detail.base_model from the catalogue and applies the Flux rules", () => {
    const [item] = validateGenerationItems([{ style: "Bokeh", prompt }], catalog);
    expect(item?.style_detail).toEqual({ name: "Bokeh", base_model: "sdxl" });
    const error = refusal([{ style_detail: { name: "Noir" }, prompt, cfg_scale: 7 }], catalog);
    expect(error.field).toBe("items[0].cfg_scale");
  });

  it("refuses unknown models, styles, LoRAs and ControlNets", () => {
    expect(refusal([{ model: "Nope", prompt }], catalog).field).toBe("items[0].model");
    expect(refusal([{ style_detail: { name: "Nope" }, prompt }], catalog).field).toBe("items[0].style_detail.name");
    expect(refusal([{ ...sdxl, loras: [{ name: "nope", weight: 0.5 }] }], catalog).field).toBe("items[0].loras[0].name");
    expect(refusal([{ ...sdxl, control_net: { asset_id: "a", name: "nope", control_mode: 0, resize_mode: 0 } }], catalog).field).toBe("items[0].control_net.name");
    expect(refusal([{ style_detail: { name: "Bokeh", base_model: "flux" }, prompt }], catalog).field).toBe(
      "items[0].style_detail.base_model",
    );
  });

  it("requires {Name} of the character in the positive prompt", () => {
    const item = { ...sdxl, prompt: { positive: "{Sam} on a trek", negative: "" }, character: { character_id: "chr_1", mode: "balanced" } };
    const error = refusal([item], catalog);
    expect(error.field).toBe("items[0].prompt.positive");
    expect(error.message).toBe("items[0].prompt.positive must contain {Alex} (the character's name in braces)");
    expect(refusal([{ ...item, character: { character_id: "chr_x", mode: "balanced" } }], catalog).field).toBe(
      "items[0].character.character_id",
    );
    expect(() => validateGenerationItems([{ ...item, prompt: { positive: "{Alex} on a trek", negative: "" } }], catalog)).not.toThrow();
  });

  it("requires the voice to be in the catalogue", () => {
    expect(() => validateGenerationItems([narratorItem({ video_asset_id: "v", script: "hi", voice: "Adam" })], catalog)).not.toThrow();
    const error = refusal([narratorItem({ video_asset_id: "v", script: "hi", voice: "Bob" })], catalog);
    expect(error.field).toBe("items[0].narrator.voice");
    expect(error.message).toBe('items[0].narrator.voice "Bob" is not an available voice');
  });
});
