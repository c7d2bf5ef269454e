import { z } from "zod";
import { invalidInputError, type ProviderIssue } from "@/lib/providers/http/errors";

/**
 * RenderNet generation items: every documented rule of POST /pub/v1/generations, encoded once and used both by the
 * client (to refuse a bad request before it is sent) and by Atelier's forms. Client-safe: imports nothing
 * server-side.
 *
 * Strict in what we send:
 * - exactly one tool per item (segment | style_detail | model | true_touch | narrator | video_anyone); an item with
 *   two is refused rather than left to the provider's priority order. The legacy `style` string is accepted as
 *   input but sent as `style_detail`.
 * - segment, true_touch, narrator and video_anyone items carry nothing outside their own object (the provider would
 *   ignore it; we refuse it so nobody believes it applied).
 * - Flux (model `Flux`, or a style whose base model is `flux`) refuses loras, cfg_scale, steps, sampler, quality,
 *   character.weight/enable_facelock and non-zero control_net modes.
 * - prompt.negative is always sent ("" when empty); control_net.control_mode/resize_mode are always sent (0 by
 *   default), because the spec marks them required even though Flux ignores them.
 * - The catalogue rules (LoRA/ControlNet base model, `{Name}` of the character, voice names) need the account's
 *   catalogue: `validateGenerationItems(items, catalog)`.
 *
 * Zod issue messages are predicates ("must be between 0.1 and 1"); `checkGenerationItems` prefixes them with the
 * field path ("items[0].loras[1].weight must be between 0.1 and 1").
 */

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

type IssueInput = { input?: unknown };
const orRequired = (message: string) => (issue: IssueInput) => (issue.input === undefined ? "is required" : message);

const text = () => z.string({ error: orRequired("must be text") });
const nonEmpty = () => text().refine((value) => value.trim() !== "", { error: "must not be empty" });
const between = (min: number, max: number) =>
  z
    .number({ error: orRequired("must be a number") })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });
const intBetween = (min: number, max: number) =>
  z
    .int({ error: orRequired("must be a whole number") })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: orRequired(`must be one of ${values.join(", ")}`) });
const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: orRequired("must be an object") });

export const aspectRatios = ["1:1", "2:3", "3:2", "4:5", "16:9", "9:16"] as const;
export const qualities = ["Plus", "Regular"] as const;
export const samplers = [
  "DPM++ 2M Karras",
  "DPM++ 2M SDE Karras",
  "DPM++ 2S a Karras",
  "DPM++ SDE",
  "DPM++ SDE Karras",
  "Euler a",
] as const;
export const characterModes = ["flexible", "balanced", "strong"] as const;
export const scaleFactors = [1, 1.5, 2, 2.5, 3] as const;
export const videoDurations = [5, 10] as const;
export const controlModes = [0, 1, 2] as const;

// As strict as the spec: both halves of the prompt, and both ControlNet modes, are required (forms send "" and 0);
// a request this schema accepts is one Prism accepts, and the other way round.
export const promptSchema = object({
  positive: nonEmpty(),
  negative: text(),
});

export const characterSchema = object({
  character_id: nonEmpty(),
  mode: oneOf(characterModes),
  /** Deprecated upstream; refused with Flux. */
  weight: between(0.1, 1).optional(),
  /** Deprecated upstream; refused with Flux. */
  enable_facelock: z.boolean({ error: "must be true or false" }).optional(),
});

export const controlNetSchema = object({
  asset_id: nonEmpty(),
  name: nonEmpty(),
  control_mode: z.literal(controlModes, { error: orRequired("must be 0, 1 or 2") }),
  resize_mode: z.literal(controlModes, { error: orRequired("must be 0, 1 or 2") }),
});

export const facelockSchema = object({ asset_id: nonEmpty() });

export const loraSchema = object({ name: nonEmpty(), weight: between(0.1, 1) });

export const styleDetailSchema = object({ name: nonEmpty(), base_model: nonEmpty().optional() });

export const segmentSchema = object({ asset_id: nonEmpty(), find: nonEmpty(), replace: nonEmpty() });

export const trueTouchSchema = object({
  asset_id: nonEmpty(),
  enhance_strength: between(0, 1),
  scale_factor: z.literal(scaleFactors, { error: orRequired("must be one of 1, 1.5, 2, 2.5, 3") }),
});

export const narratorSchema = object({
  video_asset_id: nonEmpty(),
  image_asset_id: nonEmpty().optional(),
  audio_asset_id: nonEmpty().optional(),
  script: nonEmpty().optional(),
  voice: nonEmpty().optional(),
});

export const videoAnyoneSchema = object({
  media_id: nonEmpty(),
  prompt: text().max(500, { error: "must be at most 500 characters" }).optional(),
  duration: z.literal(videoDurations, { error: "must be 5 or 10" }).optional(),
});

/** The tools of an item, in the provider's priority order (style means style_detail or the legacy style). */
export const generationTools = ["segment", "style_detail", "model", "true_touch", "narrator", "video_anyone"] as const;
export type GenerationTool = (typeof generationTools)[number];
const ownObjectTools = new Set<GenerationTool>(["segment", "true_touch", "narrator", "video_anyone"]);

const itemShape = {
  aspect_ratio: oneOf(aspectRatios).optional(),
  batch_size: intBetween(1, 4).optional(),
  cfg_scale: between(4, 12).optional(),
  character: characterSchema.optional(),
  control_net: controlNetSchema.optional(),
  facelock: facelockSchema.optional(),
  loras: z.array(loraSchema, { error: "must be a list" }).optional(),
  model: nonEmpty().optional(),
  narrator: narratorSchema.optional(),
  prompt: promptSchema.optional(),
  quality: oneOf(qualities).optional(),
  sampler: oneOf(samplers).optional(),
  seed: z.int({ error: "must be a whole number" }).min(0, { error: "must be 0 or more" }).optional(),
  segment: segmentSchema.optional(),
  steps: intBetween(10, 30).optional(),
  /** Legacy: accepted, sent as style_detail. */
  style: nonEmpty().optional(),
  style_detail: styleDetailSchema.optional(),
  true_touch: trueTouchSchema.optional(),
  video_anyone: videoAnyoneSchema.optional(),
};

type ParsedItem = z.output<z.ZodObject<typeof itemShape>>;
type Path = (string | number)[];

/** Tools present on an item, in priority order. */
export function toolsOf(item: Partial<Record<keyof ParsedItem, unknown>>): GenerationTool[] {
  const tools: GenerationTool[] = [];
  if (item.segment !== undefined) tools.push("segment");
  if (item.style_detail !== undefined || item.style !== undefined) tools.push("style_detail");
  if (item.model !== undefined) tools.push("model");
  if (item.true_touch !== undefined) tools.push("true_touch");
  if (item.narrator !== undefined) tools.push("narrator");
  if (item.video_anyone !== undefined) tools.push("video_anyone");
  return tools;
}

/** Normalises a base model name: "SD 1.5" / "sd1.5" → "sd15", "SDXL" → "sdxl", "flux" / "FLUX.1" → "flux". */
export function normalizeBaseModel(value: string): string {
  const compact = value.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (compact.startsWith("flux")) return "flux";
  if (compact === "sd15" || compact === "sdv15" || compact === "stablediffusion15") return "sd15";
  if (compact.startsWith("sdxl") || compact === "stablediffusionxl") return "sdxl";
  return compact;
}

export function baseModelLabel(value: string): string {
  const normalized = normalizeBaseModel(value);
  return normalized === "sd15" ? "SD 1.5" : normalized === "sdxl" ? "SDXL" : normalized === "flux" ? "Flux" : value;
}

/** True when the item generates with Flux (model `Flux`, or a style whose base model is flux). */
export function isFluxItem(item: { model?: string | undefined; style_detail?: { base_model?: string | undefined } | undefined }): boolean {
  if (item.model !== undefined && item.model.trim().toLowerCase() === "flux") return true;
  const base = item.style_detail?.base_model;
  return base !== undefined && normalizeBaseModel(base) === "flux";
}

function fluxIssues(item: ParsedItem): { path: Path; message: string }[] {
  const issues: { path: Path; message: string }[] = [];
  const notForFlux = "does not apply to Flux; remove it";
  for (const key of ["loras", "cfg_scale", "steps", "sampler", "quality"] as const) {
    if (item[key] !== undefined) issues.push({ path: [key], message: notForFlux });
  }
  if (item.character?.weight !== undefined) issues.push({ path: ["character", "weight"], message: notForFlux });
  if (item.character?.enable_facelock !== undefined) {
    issues.push({ path: ["character", "enable_facelock"], message: notForFlux });
  }
  for (const key of ["control_mode", "resize_mode"] as const) {
    if (item.control_net !== undefined && item.control_net[key] !== 0) {
      issues.push({ path: ["control_net", key], message: "does not apply to Flux; leave it at 0" });
    }
  }
  return issues;
}

function itemRules(item: ParsedItem, ctx: z.RefinementCtx): void {
  const add = (path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });

  if (item.style !== undefined && item.style_detail !== undefined) {
    add(["style"], "cannot be sent together with style_detail; use style_detail only");
  }
  const tools = toolsOf(item);
  if (tools.length === 0) {
    add([], `must contain exactly one of ${generationTools.join(", ")}`);
    return;
  }
  if (tools.length > 1) {
    const [first, ...others] = tools;
    for (const other of others) add([other], `cannot be combined with ${first} in one item; send one tool per item`);
    return;
  }
  const tool = tools[0] as GenerationTool;

  if (ownObjectTools.has(tool)) {
    for (const key of Object.keys(itemShape) as (keyof ParsedItem)[]) {
      if (key !== tool && item[key] !== undefined) add([key], `is not used by ${tool} generations; remove it`);
    }
  } else {
    if (item.prompt === undefined) add(["prompt"], "is required");
    if (isFluxItem({ model: item.model, style_detail: item.style_detail })) {
      for (const issue of fluxIssues(item)) add(issue.path, issue.message);
    }
    if (item.character !== undefined && item.prompt !== undefined && !/\{[^{}]+\}/.test(item.prompt.positive)) {
      add(["prompt", "positive"], "must contain the character's name in braces, e.g. {Alex} on a trek");
    }
  }

  if (item.narrator !== undefined) {
    const { script, voice, audio_asset_id } = item.narrator;
    if (script !== undefined && audio_asset_id !== undefined) {
      add(["narrator", "audio_asset_id"], "cannot be combined with script; use either script and voice, or audio_asset_id");
    } else if (script !== undefined && voice === undefined) {
      add(["narrator", "voice"], "is required with script");
    } else if (script === undefined && voice !== undefined && audio_asset_id === undefined) {
      add(["narrator", "script"], "is required with voice");
    } else if (script === undefined && audio_asset_id === undefined) {
      add(["narrator"], "needs either script and voice, or audio_asset_id");
    } else if (audio_asset_id !== undefined && voice !== undefined) {
      add(["narrator", "voice"], "is only used with script; remove it when sending audio_asset_id");
    }
  }
}

function toWireItem(item: ParsedItem) {
  const { style, ...rest } = item;
  const wire = { ...rest };
  if (style !== undefined && wire.style_detail === undefined) wire.style_detail = { name: style };
  return stripUndefined(wire);
}

function stripUndefined<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    out[key] =
      inner !== null && typeof inner === "object" && !Array.isArray(inner)
        ? stripUndefined(inner as Record<string, unknown>)
        : Array.isArray(inner)
          ? inner.map((entry: unknown) =>
              entry !== null && typeof entry === "object" ? stripUndefined(entry as Record<string, unknown>) : entry,
            )
          : inner;
  }
  return out as T;
}

/** One generation item. Input: what a form builds; output: what is sent (style → style_detail, defaults filled). */
export const generationItemSchema = z.object(itemShape, { error: orRequired("must be an object") }).superRefine(itemRules).transform(toWireItem);

export const generationItemsSchema = z
  .array(generationItemSchema, { error: "must be a list of generation items" })
  .min(1, { error: "must contain at least one generation item" });

export type GenerationItemInput = z.input<typeof generationItemSchema>;
export type GenerationItem = z.output<typeof generationItemSchema>;
export type PromptInput = z.input<typeof promptSchema>;
export type CharacterInput = z.input<typeof characterSchema>;
export type ControlNetInput = z.input<typeof controlNetSchema>;
export type FacelockInput = z.input<typeof facelockSchema>;
export type LoraInput = z.input<typeof loraSchema>;
export type StyleDetailInput = z.input<typeof styleDetailSchema>;
export type SegmentInput = z.input<typeof segmentSchema>;
export type TrueTouchInput = z.input<typeof trueTouchSchema>;
export type NarratorInput = z.input<typeof narratorSchema>;
export type VideoAnyoneInput = z.input<typeof videoAnyoneSchema>;

/** Fields of a text-to-image item (model or style_detail), without the other tools. */
export type ImageItemInput = Omit<GenerationItemInput, "segment" | "true_touch" | "narrator" | "video_anyone" | "style"> & {
  prompt: PromptInput;
} & ({ model: string; style_detail?: never } | { style_detail: StyleDetailInput; model?: never });

export const imageItem = (item: ImageItemInput): GenerationItemInput => item;
export const segmentItem = (segment: SegmentInput): GenerationItemInput => ({ segment });
export const trueTouchItem = (trueTouch: TrueTouchInput): GenerationItemInput => ({ true_touch: trueTouch });
export const narratorItem = (narrator: NarratorInput): GenerationItemInput => ({ narrator });
export const videoAnyoneItem = (videoAnyone: VideoAnyoneInput): GenerationItemInput => ({ video_anyone: videoAnyone });

// ---------------------------------------------------------------------------------------------------------------
// Catalogue rules

export interface CatalogEntry {
  name: string;
  baseModel?: string | undefined;
}

/** What the account offers, as listed by the resource endpoints. Omit a list to skip its checks. */
export interface GenerationCatalog {
  models?: readonly CatalogEntry[];
  /** SD/SDXL styles and `?type=flux` styles together. */
  styles?: readonly CatalogEntry[];
  loras?: readonly CatalogEntry[];
  /** SD/SDXL ControlNets and `?type=flux` ControlNets together. */
  controlNets?: readonly CatalogEntry[];
  characters?: readonly { id: string; name: string }[];
  voices?: readonly (string | { name: string })[];
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

const issueAt = (path: Path, message: string): ProviderIssue => {
  const field = formatPath(path);
  return { field, message: `${field} ${message}` };
};

function catalogIssues(item: GenerationItem, index: number, catalog: GenerationCatalog): ProviderIssue[] {
  const issues: ProviderIssue[] = [];
  const at = (path: Path, message: string) => issues.push(issueAt(["items", index, ...path], message));
  const byName = (list: readonly CatalogEntry[] | undefined, name: string) => list?.filter((entry) => entry.name === name) ?? [];

  // The base model of the item's model or style.
  let base: string | undefined;
  let baseOwner = "";
  if (item.model !== undefined) {
    baseOwner = `model "${item.model}"`;
    const entries = byName(catalog.models, item.model);
    if (catalog.models && entries.length === 0) at(["model"], `"${item.model}" is not an available model`);
    base = entries.find((entry) => entry.baseModel)?.baseModel ?? (isFluxItem(item) ? "flux" : undefined);
  } else if (item.style_detail !== undefined) {
    const style = item.style_detail;
    baseOwner = `style "${style.name}"`;
    const entries = byName(catalog.styles, style.name);
    if (catalog.styles && entries.length === 0) {
      at(["style_detail", "name"], `"${style.name}" is not an available style`);
    } else if (style.base_model !== undefined) {
      const known = entries.filter((entry) => entry.baseModel !== undefined);
      if (known.length > 0 && !known.some((entry) => normalizeBaseModel(entry.baseModel as string) === normalizeBaseModel(style.base_model as string))) {
        at(
          ["style_detail", "base_model"],
          `"${style.base_model}" is not the base model of style "${style.name}" (${known.map((entry) => baseModelLabel(entry.baseModel as string)).join(" or ")})`,
        );
      }
    } else {
      const known = entries.find((entry) => entry.baseModel !== undefined)?.baseModel;
      if (known !== undefined) {
        // Strict in what we send: name the base model the provider will use.
        style.base_model = known;
        if (normalizeBaseModel(known) === "flux") {
          for (const issue of fluxIssues(item as ParsedItem)) at(issue.path, issue.message);
        }
      }
    }
    base = style.base_model;
  }

  const mismatch = (path: Path, kind: string, name: string, entryBase: string) => {
    if (base !== undefined && normalizeBaseModel(entryBase) !== normalizeBaseModel(base)) {
      at(
        path,
        `"${name}" is ${/^(SD|[AEIOU])/i.test(baseModelLabel(entryBase)) ? "an" : "a"} ${baseModelLabel(entryBase)} ${kind} but ${baseOwner} is ${baseModelLabel(base)}; they must share a base model`,
      );
    }
  };

  item.loras?.forEach((lora, j) => {
    const entries = byName(catalog.loras, lora.name);
    if (catalog.loras && entries.length === 0) return at(["loras", j, "name"], `"${lora.name}" is not an available LoRA`);
    const entryBase = entries.find((entry) => entry.baseModel)?.baseModel;
    if (entryBase !== undefined) mismatch(["loras", j, "name"], "LoRA", lora.name, entryBase);
  });

  if (item.control_net !== undefined) {
    const name = item.control_net.name;
    const entries = byName(catalog.controlNets, name);
    if (catalog.controlNets && entries.length === 0) {
      at(["control_net", "name"], `"${name}" is not an available ControlNet`);
    } else {
      const bases = entries.map((entry) => entry.baseModel).filter((entryBase): entryBase is string => entryBase !== undefined);
      const fits = base === undefined || bases.some((entryBase) => normalizeBaseModel(entryBase) === normalizeBaseModel(base as string));
      if (!fits && bases[0] !== undefined) mismatch(["control_net", "name"], "ControlNet", name, bases[0]);
    }
  }

  if (item.character !== undefined && catalog.characters) {
    const character = catalog.characters.find((entry) => entry.id === item.character?.character_id);
    if (!character) {
      at(["character", "character_id"], `"${item.character.character_id}" is not one of the account's characters`);
    } else if (!item.prompt?.positive.includes(`{${character.name}}`)) {
      at(["prompt", "positive"], `must contain {${character.name}} (the character's name in braces)`);
    }
  }

  const voice = item.narrator?.voice;
  if (voice !== undefined && catalog.voices) {
    const names = catalog.voices.map((entry) => (typeof entry === "string" ? entry : entry.name));
    if (!names.includes(voice)) at(["narrator", "voice"], `"${voice}" is not an available voice`);
  }
  return issues;
}

export type GenerationCheck = { success: true; items: GenerationItem[] } | { success: false; issues: ProviderIssue[] };

/** Checks items against every rule (the catalogue ones when `catalog` is given). Never throws. */
export function checkGenerationItems(items: unknown, catalog?: GenerationCatalog): GenerationCheck {
  const parsed = generationItemsSchema.safeParse(items);
  if (!parsed.success) {
    return {
      success: false,
      issues: parsed.error.issues.map((issue) => issueAt(["items", ...(issue.path as Path)], issue.message)),
    };
  }
  const issues = catalog ? parsed.data.flatMap((item, index) => catalogIssues(item, index, catalog)) : [];
  return issues.length > 0 ? { success: false, issues } : { success: true, items: parsed.data };
}

/** Like checkGenerationItems, but throws ProviderError(invalid_input) naming the first field (all in `issues`). */
export function validateGenerationItems(items: unknown, catalog?: GenerationCatalog): GenerationItem[] {
  const result = checkGenerationItems(items, catalog);
  if (!result.success) throw invalidInputError("rendernet", result.issues);
  return result.items;
}

// ---------------------------------------------------------------------------------------------------------------
// Characters and assets (inputs of the client; forms may use them too)

export const characterTypes = ["realistic", "stylized"] as const;
export const assetTypes = ["image", "video", "audio"] as const;
export type AssetType = (typeof assetTypes)[number];

export const createCharacterInputSchema = z.object({
  assetId: nonEmpty(),
  characterType: oneOf(characterTypes),
  name: nonEmpty().refine((value) => !/[{}]/.test(value), { error: "must not contain braces" }),
  prompt: nonEmpty(),
});
export type CreateCharacterInput = z.input<typeof createCharacterInputSchema>;

export const editCharacterInputSchema = z.object({
  assetId: nonEmpty(),
  characterType: oneOf(characterTypes),
  prompt: nonEmpty(),
});
export type EditCharacterInput = z.input<typeof editCharacterInputSchema>;

/** Content types RenderNet takes per asset type (v2: video mp4 or webm, audio mp3). */
export const assetContentTypes: Record<AssetType, readonly string[]> = {
  image: ["image/png", "image/jpeg", "image/webp"],
  video: ["video/mp4", "video/webm"],
  audio: ["audio/mpeg", "audio/mp3"],
};

export const uploadSizeSchema = z.object({
  width: z.int({ error: orRequired("must be a whole number") }).min(0, { error: "must be 0 or more" }),
  height: z.int({ error: orRequired("must be a whole number") }).min(0, { error: "must be 0 or more" }),
});
