import "server-only";
import { z } from "zod";

/**
 * Tolerant reading of RenderNet answers ("be tolerant in what you accept"):
 * - objects are loose: unknown fields are kept (in `raw`), missing optional fields are fine, and an optional field
 *   of the wrong type is dropped rather than failing the whole answer;
 * - numbers that arrive as strings ("512", "20") are coerced; ids that arrive as numbers become strings;
 * - the create answer's `data` may be one generation or an array of them; both become an array;
 * - media statuses are normalised (pending | initiated | queued | processing → pending; success | succeeded |
 *   completed → success; failed | error → failed; censored | nsfw → censored; anything else → pending, i.e. not
 *   final) and the raw value is kept in `rawStatus`;
 * - error messages are read from `err.message`, `error.message` (estimate), a string `err`/`error`/`message`, or
 *   a short plain-text body. They are returned for sanitising, never shown raw.
 * Required fields (an id, a generation's media list) still fail the parse: callers turn that into an error.
 */

const numericString = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/)
  .transform(Number);
const looseNumber = z.union([z.number(), numericString]);
const optionalNumber = looseNumber.optional().catch(undefined);
const optionalString = z.string().optional().catch(undefined);
const idString = z.union([z.string().min(1), z.number().transform(String)]);

const dimSchema = z.looseObject({ width: looseNumber, height: looseNumber });
const styleDetailSchema = z.looseObject({ name: optionalString, base_model: optionalString });

export type MediaStatus = "pending" | "success" | "failed" | "censored";

export function normalizeMediaStatus(raw: unknown): MediaStatus {
  if (typeof raw !== "string") return "pending";
  switch (raw.trim().toLowerCase()) {
    case "success":
    case "succeeded":
    case "completed":
      return "success";
    case "failed":
    case "error":
      return "failed";
    case "censored":
    case "nsfw":
      return "censored";
    default:
      return "pending";
  }
}

const rawMediaSchema = z.looseObject({
  id: idString,
  status: z.unknown().optional(),
  type: optionalString,
  url: z.string().nullable().optional().catch(undefined),
  dim: dimSchema.optional().catch(undefined),
  model: optionalString,
  style: optionalString,
  style_detail: styleDetailSchema.optional().catch(undefined),
});

export interface RenderNetMedia {
  id: string;
  status: MediaStatus;
  /** The status as the provider wrote it. */
  rawStatus?: string;
  /** "image" | "video" (as sent). */
  type?: string;
  /** Present only on success. */
  url?: string;
  width?: number;
  height?: number;
  model?: string;
  /** style_detail.name, or the legacy style. */
  style?: string;
  styleBaseModel?: string;
  raw: Record<string, unknown>;
}

function toMedia(media: z.output<typeof rawMediaSchema>): RenderNetMedia {
  const out: RenderNetMedia = { id: media.id, status: normalizeMediaStatus(media.status), raw: media };
  if (typeof media.status === "string") out.rawStatus = media.status;
  if (media.type !== undefined) out.type = media.type;
  if (typeof media.url === "string" && media.url !== "" && out.status === "success") out.url = media.url;
  if (media.dim) {
    out.width = media.dim.width;
    out.height = media.dim.height;
  }
  if (media.model !== undefined) out.model = media.model;
  const style = media.style_detail?.name ?? media.style;
  if (style !== undefined) out.style = style;
  if (media.style_detail?.base_model !== undefined) out.styleBaseModel = media.style_detail.base_model;
  return out;
}

export const mediaSchema = rawMediaSchema.transform(toMedia);

/** created_at: Unix seconds per the spec; also tolerates milliseconds and ISO dates. */
const createdAtSchema = z
  .union([looseNumber, z.string()])
  .optional()
  .catch(undefined)
  .transform((value): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === "number") return value < 1e12 ? value * 1000 : value;
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  });

export interface RenderNetGeneration {
  generationId: string;
  /** Unix ms. */
  createdAt?: number;
  media: RenderNetMedia[];
  raw: Record<string, unknown>;
}

export const generationSchema = z
  .looseObject({
    generation_id: idString,
    created_at: createdAtSchema,
    media: z.array(mediaSchema),
  })
  .transform((generation): RenderNetGeneration => {
    const out: RenderNetGeneration = { generationId: generation.generation_id, media: generation.media, raw: generation };
    if (generation.created_at !== undefined) out.createdAt = generation.created_at;
    return out;
  });

const createdGenerationSchema = z.looseObject({
  generation_id: idString,
  media: z.array(mediaSchema).optional().catch(undefined),
  credits_remaining: optionalNumber,
  result: optionalString,
});

export interface CreatedGeneration {
  generationId: string;
  /** "initiated" on acceptance. */
  result?: string;
  media: RenderNetMedia[];
}

export interface CreateGenerationsResult {
  generations: CreatedGeneration[];
  creditsRemaining?: number;
}

/**
 * The create answer. The spec (and the seed example) give `data` as ONE object {credits_remaining, generation_id,
 * media, result} even though the request is an array; an array of such objects is accepted too. credits_remaining
 * is taken as the lowest value seen (the balance after every item was charged).
 */
export const createGenerationsResponseSchema = z
  .looseObject({
    data: z.union([createdGenerationSchema, z.array(createdGenerationSchema).min(1)]),
    credits_remaining: optionalNumber,
  })
  .transform((body): CreateGenerationsResult => {
    const list = Array.isArray(body.data) ? body.data : [body.data];
    const credits = [body.credits_remaining, ...list.map((entry) => entry.credits_remaining)].filter(
      (value): value is number => value !== undefined,
    );
    const result: CreateGenerationsResult = {
      generations: list.map((entry) => {
        const generation: CreatedGeneration = { generationId: entry.generation_id, media: entry.media ?? [] };
        if (entry.result !== undefined) generation.result = entry.result;
        return generation;
      }),
    };
    if (credits.length > 0) result.creditsRemaining = Math.min(...credits);
    return result;
  });

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
}

export const paginationSchema = z
  .looseObject({ page: looseNumber, page_size: looseNumber, total: looseNumber })
  .transform((p): Pagination => ({ page: p.page, pageSize: p.page_size, total: p.total }))
  .optional()
  .catch(undefined);

/** A list answer: `data` an array of T, plus optional pagination. */
export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ data: z.array(item), pagination: paginationSchema });
}

/** A single-object answer: `data` is T. */
export function dataResponseSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ data: item });
}

export const estimateResponseSchema = z
  .looseObject({ data: z.looseObject({ estimated: looseNumber, balance: looseNumber }) })
  .transform((body) => ({ estimated: body.data.estimated, balance: body.data.balance }));

export const deleteResponseSchema = z
  .looseObject({ data: z.looseObject({ id: idString }).optional().catch(undefined) })
  .transform((body) => ({ id: body.data?.id }));

// ---------------------------------------------------------------------------------------------------------------
// Assets

export type AssetStatus = "pending" | "active" | "failed";

export function normalizeAssetStatus(raw: unknown): AssetStatus {
  if (typeof raw !== "string") return "pending";
  const value = raw.trim().toLowerCase();
  if (value === "active" || value === "ready" || value === "success") return "active";
  if (value === "failed" || value === "error") return "failed";
  return "pending";
}

export interface RenderNetAsset {
  id: string;
  type?: string;
  status: AssetStatus;
  rawStatus?: string;
  url?: string;
  width?: number;
  height?: number;
  /** Seconds (video, audio). */
  duration?: number;
  frames?: number;
  raw: Record<string, unknown>;
}

const rawAssetSchema = z.looseObject({
  id: idString,
  type: optionalString,
  status: z.unknown().optional(),
  url: optionalString,
  size: dimSchema.optional().catch(undefined),
  duration: optionalNumber,
  frames: optionalNumber,
  // v1 nests size and url under data.
  data: z.looseObject({ size: dimSchema.optional().catch(undefined), url: optionalString }).optional().catch(undefined),
});

export const assetSchema = rawAssetSchema.transform((asset): RenderNetAsset => {
  const out: RenderNetAsset = { id: asset.id, status: normalizeAssetStatus(asset.status), raw: asset };
  if (typeof asset.status === "string") out.rawStatus = asset.status;
  if (asset.type !== undefined) out.type = asset.type;
  const url = asset.url ?? asset.data?.url;
  if (url) out.url = url;
  const size = asset.size ?? asset.data?.size;
  if (size) {
    out.width = size.width;
    out.height = size.height;
  }
  if (asset.duration !== undefined) out.duration = asset.duration;
  if (asset.frames !== undefined) out.frames = asset.frames;
  return out;
});

const uploadV2Schema = z.looseObject({ data: rawAssetSchema.extend({ upload_url: z.string().min(1) }) });
const uploadV1Schema = z.looseObject({ data: z.looseObject({ asset: assetSchema, upload_url: z.string().min(1) }) });

export interface UploadTicket {
  asset: RenderNetAsset;
  uploadUrl: string;
}

/** v2: data = asset fields + upload_url; v1: data = {asset, upload_url}. Undefined when neither fits. */
export function parseUploadResponse(json: unknown): UploadTicket | undefined {
  const v2 = uploadV2Schema.safeParse(json);
  if (v2.success) {
    const { upload_url: uploadUrl, ...asset } = v2.data.data;
    return { asset: assetSchema.parse(asset), uploadUrl };
  }
  const v1 = uploadV1Schema.safeParse(json);
  return v1.success ? { asset: v1.data.data.asset, uploadUrl: v1.data.data.upload_url } : undefined;
}

export const uploadResponseSchema = z.unknown().transform((json, ctx): UploadTicket => {
  const ticket = parseUploadResponse(json);
  if (!ticket) {
    ctx.addIssue({ code: "custom", message: "no upload ticket in the answer" });
    return z.NEVER;
  }
  return ticket;
});

// ---------------------------------------------------------------------------------------------------------------
// Characters and resources

export interface RenderNetCharacter {
  id: string;
  name: string;
  characterType?: string;
  prompt?: string;
  inputImage?: string;
  systemCharacter?: boolean;
  raw: Record<string, unknown>;
}

export const characterSchema = z
  .looseObject({
    id: idString,
    name: z.string(),
    character_type: optionalString,
    prompt: optionalString,
    input_image: optionalString,
    system_character: z.boolean().optional().catch(undefined),
  })
  .transform((c): RenderNetCharacter => {
    const out: RenderNetCharacter = { id: c.id, name: c.name, raw: c };
    if (c.character_type !== undefined) out.characterType = c.character_type;
    if (c.prompt !== undefined) out.prompt = c.prompt;
    if (c.input_image !== undefined) out.inputImage = c.input_image;
    if (c.system_character !== undefined) out.systemCharacter = c.system_character;
    return out;
  });

export interface RenderNetResource {
  name: string;
  baseModel?: string;
  id?: string;
  thumbnail?: string;
  raw: Record<string, unknown>;
}

export const resourceSchema = z
  .looseObject({ name: z.string(), base_model: optionalString, id: idString.optional().catch(undefined), thumbnail: optionalString })
  .transform((r): RenderNetResource => {
    const out: RenderNetResource = { name: r.name, raw: r };
    if (r.base_model !== undefined) out.baseModel = r.base_model;
    if (r.id !== undefined) out.id = r.id;
    if (r.thumbnail !== undefined) out.thumbnail = r.thumbnail;
    return out;
  });

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** The provider's message from an error body (`err.message`, `error.message`, strings), or undefined. */
export function readErrorMessage(json: unknown, text: string): string | undefined {
  if (json === undefined) {
    const trimmed = text.trim();
    return trimmed === "" ? undefined : trimmed;
  }
  if (typeof json === "string") return json;
  if (typeof json !== "object" || json === null) return undefined;
  const body = json as Record<string, unknown>;
  for (const key of ["err", "error"]) {
    const value = body[key];
    if (typeof value === "string" && value.trim() !== "") return value;
    if (value && typeof value === "object") {
      const message = (value as Record<string, unknown>).message;
      if (typeof message === "string" && message.trim() !== "") return message;
    }
  }
  for (const key of ["message", "detail"]) {
    const value = body[key];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return undefined;
}
