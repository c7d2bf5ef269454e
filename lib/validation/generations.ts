import { z } from "zod";
import { workspaceRef } from "@/lib/validation/workspaces";

/**
 * The generation forms' schemas, shared by each tool's form (inline errors as the user types) and by
 * submitGenerationAction / the estimate route (parsed again, authoritatively, on the server).
 * Field names are the form's (camelCase); lib/generations maps them to each provider's wire format, where the
 * provider clients' own schemas check them once more, with the catalogue (LoRA / ControlNet base models).
 *
 * Inputs (images, videos, audio) are references: an uploaded Asset of the workspace, or a gallery Media item.
 * The server resolves them inside the caller's workspace; an id from elsewhere is "not found".
 */

import { TOOLS, type ToolId } from "@/lib/generations/tool-ids";
import { MAX_BATCH } from "@/lib/validation/run-limits";

export { TOOLS, type ToolId };

export const ASPECT_RATIOS = ["1:1", "2:3", "3:2", "4:5", "16:9", "9:16"] as const;
export const QUALITIES = ["Plus", "Regular"] as const;
export const SAMPLERS = ["DPM++ 2M Karras", "DPM++ 2M SDE Karras", "DPM++ 2S a Karras", "DPM++ SDE", "DPM++ SDE Karras", "Euler a"] as const;
export const CHARACTER_MODES = ["flexible", "balanced", "strong"] as const;
export const SCALE_FACTORS = [1, 1.5, 2, 2.5, 3] as const;
export const VIDEO_DURATIONS = [5, 10] as const;
export const CONTROL_MODES = [0, 1, 2] as const;
export const CONTROLNET_KINDS = ["canny", "depth", "pose"] as const;
export const GPU_TIERS = ["a10g", "a100", "h100"] as const;
export { MAX_BATCH };
export const VIDEO_PROMPT_MAX = 500;
export const PROMPT_MAX = 2000;

export const inputRef = z.object(
  {
    kind: z.enum(["asset", "media"]),
    id: z.string().min(1).max(64),
  },
  { error: "Choose a file." },
);
export type InputRef = z.infer<typeof inputRef>;

const prompt = (label: string, max = PROMPT_MAX) =>
  z
    .string({ error: `Describe ${label}.` })
    .trim()
    .min(1, `Describe ${label}.`)
    .max(max, `Keep it under ${max} characters.`);

const optionalText = (max: number) => z.string().trim().max(max, `Keep it under ${max} characters.`).default("");

const seedField = z
  .number({ error: "The seed is a whole number." })
  .int("The seed is a whole number.")
  .min(0, "The seed can't be negative.")
  .max(4_294_967_295, "The seed is at most 4294967295.")
  .nullable()
  .default(null);

export const imageParams = z
  .object({
    /** A model (`Flux` or an SD / SDXL checkpoint) or a style, by name; `baseModel` as the catalogue lists it. */
    base: z.object(
      {
        kind: z.enum(["model", "style"]),
        name: z.string().min(1).max(120),
        baseModel: z.string().max(40).optional(),
      },
      { error: "Choose a model or a style." },
    ),
    prompt: prompt("the image"),
    negativePrompt: optionalText(PROMPT_MAX),
    aspectRatio: z.enum(ASPECT_RATIOS, { error: "Choose an aspect ratio." }),
    batchSize: z.number().int().min(1, "At least 1 image.").max(MAX_BATCH, `At most ${MAX_BATCH} images per run.`),
    guidance: z.number().min(4, "Guidance goes from 4 to 12.").max(12, "Guidance goes from 4 to 12.").optional(),
    steps: z.number().int("Steps are a whole number.").min(10, "Steps go from 10 to 30.").max(30, "Steps go from 10 to 30.").optional(),
    sampler: z.enum(SAMPLERS).optional(),
    quality: z.enum(QUALITIES).optional(),
    seed: seedField,
    loras: z
      .array(z.object({ name: z.string().min(1).max(120), weight: z.number().min(0.1, "LoRA weight goes from 0.1 to 1.").max(1, "LoRA weight goes from 0.1 to 1.") }))
      .max(5, "Use at most 5 LoRAs.")
      .default([]),
    controlNet: z
      .object({
        name: z.string().min(1, "Choose a ControlNet.").max(120),
        image: inputRef,
        controlMode: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
        resizeMode: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
      })
      .nullable()
      .default(null),
    faceLock: z.object({ image: inputRef }).nullable().default(null),
    character: z
      .object({ id: z.string().min(1).max(120), name: z.string().min(1).max(120), mode: z.enum(CHARACTER_MODES) })
      .nullable()
      .default(null),
  })
  .superRefine((value, ctx) => {
    if (isFluxBase(value.base)) {
      for (const field of ["guidance", "steps", "sampler", "quality"] as const) {
        if (value[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: "Flux doesn't use this setting." });
      }
      if (value.loras.length > 0) ctx.addIssue({ code: "custom", path: ["loras"], message: "Flux doesn't take LoRAs." });
      if (value.controlNet && (value.controlNet.controlMode !== 0 || value.controlNet.resizeMode !== 0)) {
        ctx.addIssue({ code: "custom", path: ["controlNet"], message: "Flux ignores the ControlNet modes; leave them at their defaults." });
      }
    }
    if (value.character && !value.prompt.includes(`{${value.character.name}}`)) {
      ctx.addIssue({ code: "custom", path: ["prompt"], message: `Put {${value.character.name}} in the prompt where the character appears.` });
    }
  });

export function isFluxBase(base: { kind: "model" | "style"; name: string; baseModel?: string }): boolean {
  return base.kind === "model" ? base.name.toLowerCase() === "flux" : base.baseModel?.toLowerCase() === "flux";
}

export const editParams = z.object({
  image: inputRef,
  find: prompt("what to change", 200),
  replace: prompt("what to put in its place", 200),
});

export const enhanceParams = z.object({
  image: inputRef,
  strength: z.number().min(0, "Strength goes from 0 to 1.").max(1, "Strength goes from 0 to 1."),
  scale: z.union([z.literal(1), z.literal(1.5), z.literal(2), z.literal(2.5), z.literal(3)], { error: "Choose 1×, 1.5×, 2×, 2.5× or 3×." }),
});

export const narratorParams = z
  .object({
    video: inputRef,
    mode: z.enum(["script", "audio"]),
    script: z.string().trim().max(PROMPT_MAX, `Keep the script under ${PROMPT_MAX} characters.`).default(""),
    voice: z.string().max(120).default(""),
    audio: inputRef.nullable().default(null),
    face: inputRef.nullable().default(null),
  })
  .superRefine((value, ctx) => {
    if (value.mode === "script") {
      if (!value.script) ctx.addIssue({ code: "custom", path: ["script"], message: "Write what the narrator says." });
      if (!value.voice) ctx.addIssue({ code: "custom", path: ["voice"], message: "Choose a voice." });
    } else if (!value.audio) {
      ctx.addIssue({ code: "custom", path: ["audio"], message: "Choose an audio file." });
    }
  });

export const imageToVideoParams = z.object({
  image: inputRef,
  prompt: z.string().trim().max(VIDEO_PROMPT_MAX, `At most ${VIDEO_PROMPT_MAX} characters.`).default(""),
  duration: z.union([z.literal(5), z.literal(10)], { error: "Choose 5 or 10 seconds." }),
});

export const controlNetParams = z.object({
  kind: z.enum(CONTROLNET_KINDS, { error: "Choose Canny, Depth or Pose." }),
  image: inputRef,
  prompt: prompt("the image"),
  negativePrompt: optionalText(PROMPT_MAX),
  guidance: z.number().min(1, "Guidance goes from 1 to 30.").max(30, "Guidance goes from 1 to 30."),
  batch: z.number().int().min(1, "At least 1 image.").max(8, "At most 8 images."),
  strength: z.number().gt(0, "Strength is more than 0 and at most 1.").max(1, "Strength is more than 0 and at most 1."),
  steps: z.number().int().min(1, "Steps go from 1 to 50.").max(50, "Steps go from 1 to 50."),
  gpu: z.enum(GPU_TIERS),
});

export const toolParams = {
  IMAGE: imageParams,
  EDIT: editParams,
  ENHANCE: enhanceParams,
  NARRATOR: narratorParams,
  IMAGE_TO_VIDEO: imageToVideoParams,
  CONTROLNET: controlNetParams,
} as const;

export type ToolParams = {
  IMAGE: z.infer<typeof imageParams>;
  EDIT: z.infer<typeof editParams>;
  ENHANCE: z.infer<typeof enhanceParams>;
  NARRATOR: z.infer<typeof narratorParams>;
  IMAGE_TO_VIDEO: z.infer<typeof imageToVideoParams>;
  CONTROLNET: z.infer<typeof controlNetParams>;
};

const run = <T extends ToolId, S extends z.ZodType>(tool: T, params: S) => z.object({ tool: z.literal(tool), params });

/** One run of any tool, as the form sends it. */
export const generationRequest = z.discriminatedUnion("tool", [
  run("IMAGE", imageParams),
  run("EDIT", editParams),
  run("ENHANCE", enhanceParams),
  run("NARRATOR", narratorParams),
  run("IMAGE_TO_VIDEO", imageToVideoParams),
  run("CONTROLNET", controlNetParams),
]);
export type GenerationRequest = z.infer<typeof generationRequest>;

export const submitGenerationSchema = z.object({
  workspace: workspaceRef,
  /** A UUID the form makes once per intended run; resubmitting it returns the same generation. */
  idempotencyKey: z.uuid("The form's request id is malformed; reload the page."),
  boardId: z.string().min(1).max(64).nullable().default(null),
  run: generationRequest,
});

/** The body of POST /api/w/<slug>/generations/estimate (the workspace is in the path). */
export const estimateGenerationSchema = z.object({ run: generationRequest });

export const retryGenerationSchema = z.object({ workspace: workspaceRef, generationId: z.string().min(1).max(64), idempotencyKey: z.uuid() });

/** Vary: one of the workspace's runs again with a new seed; a new key per click (each click is a new run). */
export const varyGenerationSchema = z.object({ workspace: workspaceRef, generationId: z.string().min(1).max(64), idempotencyKey: z.uuid() });

export const estimateVariationSchema = z.object({ workspace: workspaceRef, generationId: z.string().min(1).max(64) });
/** The runs panel's Cancel: which run (an id of another workspace answers like a missing one). */
export const cancelGenerationSchema = z.object({ workspace: workspaceRef, generationId: z.string().min(1).max(64) });
