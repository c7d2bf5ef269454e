/**
 * The sandbox's own reading of the RenderNet GenerationRequest schema (rendernet.openapi.yaml), with messages that
 * name the field. Unknown keys are ignored (zod strips them).
 */
import { z } from "zod";

type Issue = { input?: unknown };
const typed = (what: string) => (issue: Issue) => (issue.input === undefined ? "is required" : `must be ${what}`);

export const str = () => z.string({ error: typed("a string") });
export const idStr = () => str().min(1, { error: "must not be empty" });
const num = () => z.number({ error: typed("a number") });
const int = () => z.number({ error: typed("an integer") }).int({ error: "must be an integer" });
const between = (schema: z.ZodNumber, min: number, max: number, suffix = "") =>
  schema.min(min, { error: `must be between ${min} and ${max}${suffix}` }).max(max, { error: `must be between ${min} and ${max}${suffix}` });
const oneOfNumbers = (values: number[]) =>
  num().refine((value) => values.includes(value), { error: `must be one of ${values.join(", ")}` });
const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue: Issue) => (issue.input === undefined ? "is required" : `must be one of: ${values.join(", ")}`) });
const obj = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: typed("an object") });

export const ASPECT_RATIOS = ["1:1", "2:3", "3:2", "4:5", "16:9", "9:16"] as const;
export const QUALITIES = ["Plus", "Regular"] as const;
export const SAMPLERS = ["DPM++ 2M Karras", "DPM++ 2M SDE Karras", "DPM++ 2S a Karras", "DPM++ SDE", "DPM++ SDE Karras", "Euler a"] as const;
export const TRUE_TOUCH_SCALES = [1, 1.5, 2, 2.5, 3];
export const MAX_BATCH = 4;

const prompt = obj({ positive: str(), negative: str() });
const facelock = obj({ asset_id: idStr() });
const lora = obj({ name: idStr(), weight: between(num(), 0.1, 1) });
const styleDetail = obj({ name: idStr(), base_model: str().optional() });

const common = {
  aspect_ratio: enumOf(ASPECT_RATIOS).optional(),
  batch_size: int()
    .min(1, { error: `must be between 1 and ${MAX_BATCH} (the sandbox plan allows at most ${MAX_BATCH} images per generation)` })
    .max(MAX_BATCH, { error: `must be between 1 and ${MAX_BATCH} (the sandbox plan allows at most ${MAX_BATCH} images per generation)` })
    .optional(),
  facelock: facelock.optional(),
  prompt: prompt.optional(),
  seed: int().optional(),
  model: str().optional(),
  style: str().optional(),
  style_detail: styleDetail.optional(),
};

/** SD 1.5 / SDXL generations (model or style). */
export const sdImageSchema = obj({
  ...common,
  cfg_scale: between(num(), 4, 12).optional(),
  character: obj({
    character_id: idStr(),
    mode: enumOf(["flexible", "balanced", "strong"]),
    weight: between(num(), 0.1, 1).optional(),
    enable_facelock: z.boolean({ error: typed("a boolean") }).optional(),
  }).optional(),
  control_net: obj({
    asset_id: idStr(),
    name: idStr(),
    control_mode: oneOfNumbers([0, 1, 2]),
    resize_mode: oneOfNumbers([0, 1, 2]),
  }).optional(),
  loras: z.array(lora, { error: typed("an array") }).optional(),
  quality: enumOf(QUALITIES).optional(),
  sampler: enumOf(SAMPLERS).optional(),
  steps: between(int(), 10, 30).optional(),
});

/** Flux generations: only facelock, character, control_net, aspect_ratio, batch_size, prompt and seed apply. */
export const fluxImageSchema = obj({
  ...common,
  character: obj({ character_id: idStr(), mode: enumOf(["flexible", "balanced", "strong"]) }).optional(),
  control_net: obj({ asset_id: idStr(), name: idStr() }).optional(),
});

export const segmentSchema = obj({
  segment: obj({ asset_id: idStr(), find: idStr(), replace: idStr() }),
});

export const trueTouchSchema = obj({
  true_touch: obj({
    asset_id: idStr(),
    enhance_strength: num(),
    scale_factor: oneOfNumbers(TRUE_TOUCH_SCALES),
  }),
});

export const narratorSchema = obj({
  narrator: obj({
    video_asset_id: idStr(),
    image_asset_id: idStr().optional(),
    audio_asset_id: idStr().optional(),
    script: str().optional(),
    voice: str().optional(),
  }),
});

export const videoAnyoneSchema = obj({
  video_anyone: obj({
    media_id: idStr(),
    prompt: str().max(500, { error: "must be at most 500 characters" }).optional(),
    duration: oneOfNumbers([5, 10]).optional(),
  }),
});

/** `items[0].loras[1].weight must be between 0.1 and 1` from the first zod issue. */
export function describeIssue(index: number, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `items[${index}] is invalid`;
  let where = `items[${index}]`;
  for (const part of issue.path) where += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return `${where} ${issue.message}`;
}
