/**
 * Turns a POST /pub/v1/generations body into a plan (all-or-nothing): schema checks, the documented semantic rules
 * (tool priority, base-model agreement, Flux's reduced field set, catalogue lookups, character braces) and the price.
 * Input conditions the contract says make a generation *fail* (video_anyone aspect, narrator fps / size) are not
 * refused here: they set the planned outcome to failed.
 */
import { randomInt } from "node:crypto";
import type { z } from "zod";
import { CONTROLNETS, FLUX_CONTROLNETS, FLUX_STYLES, LORAS, MODELS, STYLES, SYSTEM_CHARACTERS, VOICES, type BaseModel, type CatalogItem } from "./catalog";
import { assetStatus, mediaStatus, outcomeFromText } from "./lifecycle";
import { IMAGE_PRICE, narratorPrice, SEGMENT_PRICE, trueTouchPrice, videoAnyonePrice } from "./pricing";
import type { Recipe } from "./recipes";
import {
  describeIssue,
  fluxImageSchema,
  narratorSchema,
  sdImageSchema,
  segmentSchema,
  trueTouchSchema,
  videoAnyoneSchema,
} from "./rendernet-schemas";
import type { AccountState, AssetType, FileRef, MediaOutcome, MediaType, Schedule, StoredAsset } from "./types";

export type Tool = "segment" | "style" | "model" | "true_touch" | "narrator" | "video_anyone";

export interface PlannedItem {
  tool: Tool;
  type: MediaType;
  batch: number;
  dim: { width: number; height: number };
  labels: { model?: string; style?: string; style_detail?: { name: string; base_model: string } };
  /** Given seed (images); a random one is drawn per generation when absent. */
  seed?: number;
  credits: number;
  outcome: MediaOutcome;
  failReason?: string;
  ext: "png" | "mp4";
  /** Recipe for media `index` with the final seed (undefined for media that will fail). */
  recipe: (seed: number, index: number) => Recipe;
}

export type PlanResult = { ok: true; items: PlannedItem[]; total: number } | { ok: false; message: string };

class PlanError extends Error {}

const DIMS: Record<"sdxl" | "sd15", Record<string, [number, number]>> = {
  sdxl: { "1:1": [1024, 1024], "2:3": [832, 1248], "3:2": [1248, 832], "4:5": [896, 1120], "16:9": [1344, 768], "9:16": [768, 1344] },
  sd15: { "1:1": [512, 512], "2:3": [512, 768], "3:2": [768, 512], "4:5": [512, 640], "16:9": [768, 432], "9:16": [432, 768] },
};

export function imageDims(base: BaseModel, aspect: string): { width: number; height: number } {
  const table = base === "sd15" ? DIMS.sd15 : DIMS.sdxl;
  const [width, height] = table[aspect] ?? table["1:1"]!;
  return { width, height };
}

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

/** Fits (w, h) within a long side of `max`, even numbers. */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: even(width * scale), height: even(height * scale) };
}

function present(item: Record<string, unknown>, key: string): boolean {
  return item[key] !== undefined && item[key] !== null;
}

export function toolOf(item: Record<string, unknown>): Tool | undefined {
  if (present(item, "segment")) return "segment";
  if (present(item, "style") || present(item, "style_detail")) return "style";
  if (present(item, "model")) return "model";
  if (present(item, "true_touch")) return "true_touch";
  if (present(item, "narrator")) return "narrator";
  if (present(item, "video_anyone")) return "video_anyone";
  return undefined;
}

function parse<T>(schema: z.ZodType<T>, index: number, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new PlanError(describeIssue(index, result.error));
  return result.data;
}

interface Ctx {
  state: AccountState;
  now: number;
  schedule: Schedule;
}

function findAsset(ctx: Ctx, where: string, id: string, type: AssetType): StoredAsset & { file: FileRef } {
  const asset = ctx.state.assets.find((candidate) => candidate.id === id);
  if (!asset) throw new PlanError(`${where} "${id}" is not a known asset of this account`);
  if (asset.type !== type) throw new PlanError(`${where} "${id}" is a ${asset.type} asset; a ${type} asset is required`);
  const status = assetStatus(asset, ctx.now, ctx.schedule);
  if (status !== "active" || !asset.file) {
    throw new PlanError(`${where} "${id}" is not usable (asset status ${status}${asset.failReason && status === "failed" ? `: ${asset.failReason}` : ""}); wait until it is active`);
  }
  return asset as StoredAsset & { file: FileRef };
}

export function randomSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}

function planImage(ctx: Ctx, index: number, raw: Record<string, unknown>, tool: "style" | "model"): PlannedItem {
  const at = `items[${index}]`;
  let labels: PlannedItem["labels"] = {};
  let family: CatalogItem;
  const rawStyleDetail = raw.style_detail as { base_model?: unknown } | undefined;
  const isFlux =
    tool === "model" ? raw.model === "Flux" : present(raw, "style_detail") && typeof rawStyleDetail === "object" && rawStyleDetail?.base_model === "flux";
  const item = parse(isFlux ? fluxImageSchema : sdImageSchema, index, raw) as z.infer<typeof sdImageSchema>;

  if (tool === "style") {
    if (item.style_detail) {
      const { name, base_model } = item.style_detail;
      const pool = base_model === "flux" ? FLUX_STYLES : base_model ? STYLES.filter((s) => s.base_model === base_model) : [...STYLES, ...FLUX_STYLES];
      if (base_model && !["flux", "sdxl", "sd15"].includes(base_model)) {
        throw new PlanError(`${at}.style_detail.base_model must be one of: sd15, sdxl, flux`);
      }
      const found = pool.find((style) => style.name === name);
      if (!found) {
        throw new PlanError(`${at}.style_detail.name "${name}" is not a known${base_model ? ` ${base_model}` : ""} style (see GET /pub/v1/styles${base_model === "flux" ? "?type=flux" : ""})`);
      }
      family = found;
      labels = { style: found.name, style_detail: { name: found.name, base_model: found.base_model } };
    } else {
      const found = STYLES.find((style) => style.name === item.style);
      if (!found) throw new PlanError(`${at}.style "${item.style}" is not a known style (see GET /pub/v1/styles; Flux styles go in style_detail)`);
      family = found;
      labels = { style: found.name, style_detail: { name: found.name, base_model: found.base_model } };
    }
  } else {
    const found = MODELS.find((model) => model.name === item.model);
    if (!found) throw new PlanError(`${at}.model "${item.model}" is not a known model (see GET /pub/v1/models)`);
    family = found;
    labels = { model: found.name };
  }
  const base: BaseModel = family.base_model;
  const flux = base === "flux";

  const positive = item.prompt?.positive ?? "";
  // Character: must exist, and its name must appear in braces in the positive prompt.
  let characterName: string | undefined;
  if (item.character) {
    const id = item.character.character_id;
    const own = ctx.state.characters.find((c) => c.id === id);
    const system = SYSTEM_CHARACTERS.find((c) => c.id === id);
    const name = own?.name ?? system?.name;
    if (!name) throw new PlanError(`${at}.character.character_id "${id}" is not a known character (see GET /pub/v1/characters)`);
    if (!positive.toLowerCase().includes(`{${name.toLowerCase()}}`)) {
      throw new PlanError(`${at}.prompt.positive must name the character in braces, e.g. "{${name}} on a trek", when character is set`);
    }
    characterName = name;
  }

  let facelock: FileRef | undefined;
  if (item.facelock) facelock = findAsset(ctx, `${at}.facelock.asset_id`, item.facelock.asset_id, "image").file;

  let dim = imageDims(base, item.aspect_ratio ?? "1:1");
  let controlnet: { file: FileRef; name: string } | undefined;
  if (item.control_net) {
    const pool = flux ? FLUX_CONTROLNETS : CONTROLNETS;
    const named = pool.filter((cn) => cn.name === item.control_net!.name);
    if (named.length === 0) {
      throw new PlanError(`${at}.control_net.name "${item.control_net.name}" is not a known ${flux ? "Flux " : ""}ControlNet (see GET /pub/v1/controlnets${flux ? "?type=flux" : ""})`);
    }
    if (!named.some((cn) => cn.base_model === base)) {
      throw new PlanError(`${at}.control_net.name "${item.control_net.name}" is a ${named.map((cn) => cn.base_model).join("/")} ControlNet; it must share the base model (${base}) of the chosen ${tool}`);
    }
    const asset = findAsset(ctx, `${at}.control_net.asset_id`, item.control_net.asset_id, "image");
    controlnet = { file: asset.file, name: item.control_net.name };
    if (flux && asset.size) {
      // Flux: the output takes the ControlNet image's aspect ratio (about one megapixel, multiples of 16).
      const ratio = asset.size.width / asset.size.height;
      const round16 = (value: number) => Math.max(256, Math.round(value / 16) * 16);
      dim = { width: round16(Math.sqrt(1024 * 1024 * ratio)), height: round16(Math.sqrt((1024 * 1024) / ratio)) };
    }
  }

  const loras: string[] = [];
  if (!flux) {
    for (const [loraIndex, lora] of (item.loras ?? []).entries()) {
      const named = LORAS.filter((candidate) => candidate.name === lora.name);
      if (named.length === 0) throw new PlanError(`${at}.loras[${loraIndex}].name "${lora.name}" is not a known LoRA (see GET /pub/v1/loras)`);
      if (!named.some((candidate) => candidate.base_model === base)) {
        throw new PlanError(`${at}.loras[${loraIndex}].name "${lora.name}" is a ${named[0]!.base_model} LoRA; it must share the base model (${base}) of the chosen ${tool}`);
      }
      loras.push(lora.name);
    }
  }

  const batch = item.batch_size ?? 1;
  const quality = flux ? "Regular" : (item.quality ?? "Regular");
  const label = labels.style_detail ? `${labels.style_detail.name} (${labels.style_detail.base_model})` : `${labels.model} (${base})`;
  return {
    tool,
    type: "image",
    batch,
    dim,
    labels,
    seed: item.seed,
    credits: IMAGE_PRICE[base][quality] * batch,
    outcome: outcomeFromText(positive),
    ext: "png",
    recipe: (seed, mediaIndex) => ({
      kind: "art",
      width: dim.width,
      height: dim.height,
      prompt: positive,
      seed,
      index: mediaIndex,
      label,
      character: characterName,
      facelock,
      controlnet,
      loras,
    }),
  };
}

function planSegment(ctx: Ctx, index: number, raw: unknown): PlannedItem {
  const { segment } = parse(segmentSchema, index, raw);
  const asset = findAsset(ctx, `items[${index}].segment.asset_id`, segment.asset_id, "image");
  const dim = asset.size ?? asset.declaredSize;
  return {
    tool: "segment",
    type: "image",
    batch: 1,
    dim,
    labels: {},
    credits: SEGMENT_PRICE,
    outcome: outcomeFromText(segment.find, segment.replace),
    ext: "png",
    recipe: () => ({ kind: "segment", input: asset.file, find: segment.find, replace: segment.replace }),
  };
}

function planTrueTouch(ctx: Ctx, index: number, raw: unknown): PlannedItem {
  const { true_touch: touch } = parse(trueTouchSchema, index, raw);
  const asset = findAsset(ctx, `items[${index}].true_touch.asset_id`, touch.asset_id, "image");
  const size = asset.size ?? asset.declaredSize;
  const scaled = { width: Math.round(size.width * touch.scale_factor), height: Math.round(size.height * touch.scale_factor) };
  // Keep the simulator light: outputs are capped at 6144 px on the long side.
  const dim = fitWithin(scaled.width, scaled.height, 6144);
  return {
    tool: "true_touch",
    type: "image",
    batch: 1,
    dim,
    labels: {},
    credits: trueTouchPrice(touch.scale_factor),
    outcome: "success",
    ext: "png",
    recipe: () => ({ kind: "true_touch", input: asset.file, width: dim.width, height: dim.height, strength: touch.enhance_strength }),
  };
}

function planNarrator(ctx: Ctx, index: number, raw: unknown): PlannedItem {
  const at = `items[${index}].narrator`;
  const { narrator } = parse(narratorSchema, index, raw);
  const video = findAsset(ctx, `${at}.video_asset_id`, narrator.video_asset_id, "video");
  let audioDuration: number | undefined;
  if (narrator.audio_asset_id) {
    audioDuration = findAsset(ctx, `${at}.audio_asset_id`, narrator.audio_asset_id, "audio").duration ?? 8;
  } else {
    if (!narrator.script || narrator.script.trim() === "") {
      throw new PlanError(`${at}.script is required (with voice) unless audio_asset_id is given`);
    }
    if (!narrator.voice) throw new PlanError(`${at}.voice is required with script (see GET /pub/v1/voices)`);
    if (!VOICES.some((voice) => voice.name === narrator.voice)) {
      throw new PlanError(`${at}.voice "${narrator.voice}" is not a known voice (see GET /pub/v1/voices)`);
    }
  }
  const face = narrator.image_asset_id ? findAsset(ctx, `${at}.image_asset_id`, narrator.image_asset_id, "image").file : undefined;
  const size = video.size ?? video.declaredSize;
  const dim = fitWithin(size.width, size.height, 480);
  const words = narrator.audio_asset_id ? ["(narration", "from", "audio)"] : (narrator.script ?? "").split(/\s+/).filter(Boolean);
  const duration = Math.min(15, Math.max(2, audioDuration ?? words.length * 0.4));
  let outcome: MediaOutcome = outcomeFromText(narrator.audio_asset_id ? undefined : narrator.script);
  let failReason: string | undefined;
  const fps = video.frames !== undefined && video.duration ? video.frames / video.duration : undefined;
  const shortSide = Math.min(size.width, size.height);
  const longSide = Math.max(size.width, size.height);
  if (fps !== undefined && fps > 30.01) {
    outcome = "failed";
    failReason = `video frame rate ${fps.toFixed(1)} fps is above 30 fps`;
  } else if (shortSide > 1080 || longSide > 1920) {
    outcome = "failed";
    failReason = `video ${size.width}x${size.height} is larger than 1080 x 1920`;
  }
  return {
    tool: "narrator",
    type: "video",
    batch: 1,
    dim,
    labels: {},
    credits: narratorPrice({ script: narrator.script, audio: Boolean(narrator.audio_asset_id) }),
    outcome,
    failReason,
    ext: "mp4",
    recipe: () => ({ kind: "narrator", width: dim.width, height: dim.height, duration, words, voice: narrator.voice ?? "audio", face }),
  };
}

function planVideoAnyone(ctx: Ctx, index: number, raw: unknown): PlannedItem {
  const at = `items[${index}].video_anyone`;
  const { video_anyone: video } = parse(videoAnyoneSchema, index, raw);
  let input: FileRef;
  let size: { width: number; height: number };
  const asset = ctx.state.assets.find((candidate) => candidate.id === video.media_id);
  if (asset) {
    const found = findAsset(ctx, `${at}.media_id`, video.media_id, "image");
    input = found.file;
    size = found.size ?? found.declaredSize;
  } else {
    let match: { media: AccountState["generations"][number]["media"][number]; createdAtMs: number } | undefined;
    for (const generation of ctx.state.generations) {
      const media = generation.media.find((candidate) => candidate.id === video.media_id);
      if (media) match = { media, createdAtMs: generation.createdAtMs };
    }
    if (!match) throw new PlanError(`${at}.media_id "${video.media_id}" is neither an image asset nor a generated image of this account`);
    const status = mediaStatus(match.media, match.createdAtMs, ctx.now, ctx.schedule);
    if (match.media.type !== "image" || status !== "success" || !match.media.file) {
      throw new PlanError(`${at}.media_id "${video.media_id}" is not a successfully generated image (status ${status})`);
    }
    input = match.media.file;
    size = match.media.dim;
  }
  const ratio = size.width / size.height;
  const portrait = Math.abs(ratio / (3 / 5) - 1) <= 0.02;
  const landscape = Math.abs(ratio / (5 / 3) - 1) <= 0.02;
  const dim = ratio < 1 ? { width: 360, height: 600 } : { width: 600, height: 360 };
  const duration = video.duration ?? 5;
  let outcome = outcomeFromText(video.prompt);
  let failReason: string | undefined;
  if (!portrait && !landscape) {
    outcome = "failed";
    failReason = `input image ${size.width}x${size.height} is not 3:5 or 5:3`;
  }
  return {
    tool: "video_anyone",
    type: "video",
    batch: 1,
    dim,
    labels: {},
    credits: videoAnyonePrice(duration),
    outcome,
    failReason,
    ext: "mp4",
    recipe: () => ({ kind: "video_anyone", input, width: dim.width, height: dim.height, duration, prompt: video.prompt ?? "" }),
  };
}

export function planGenerations(body: unknown, ctx: Ctx): PlanResult {
  if (!Array.isArray(body)) return { ok: false, message: "body must be a JSON array of generation items" };
  if (body.length === 0) return { ok: false, message: "body must contain at least one generation item" };
  const items: PlannedItem[] = [];
  try {
    for (const [index, raw] of body.entries()) {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new PlanError(`items[${index}] must be an object`);
      const record = raw as Record<string, unknown>;
      const tool = toolOf(record);
      if (!tool) {
        throw new PlanError(`items[${index}] must carry one of segment, style, style_detail, model, true_touch, narrator, video_anyone`);
      }
      if (tool === "style" || tool === "model") items.push(planImage(ctx, index, record, tool));
      else if (tool === "segment") items.push(planSegment(ctx, index, record));
      else if (tool === "true_touch") items.push(planTrueTouch(ctx, index, record));
      else if (tool === "narrator") items.push(planNarrator(ctx, index, record));
      else items.push(planVideoAnyone(ctx, index, record));
    }
  } catch (error) {
    if (error instanceof PlanError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, items, total: items.reduce((sum, item) => sum + item.credits, 0) };
}
