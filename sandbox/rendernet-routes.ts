/** The RenderNet API (rendernet.openapi.yaml), served under <base>/rendernet. */
import path from "node:path";
import { z } from "zod";
import { CONTROLNETS, FLUX_CONTROLNETS, FLUX_STYLES, LORAS, MODELS, STYLES, SYSTEM_CHARACTERS, thumbnailToken, VOICES } from "./catalog";
import type { Caller, RouteContext } from "./context";
import { planGenerations, randomSeed } from "./generation-plan";
import { badRequest, errorEnvelope, HttpError, json, notFound, paginate, parsePage, readBodyBytes, readJsonBody } from "./http";
import { assetStatus, effectiveSchedule, mediaStatus } from "./lifecycle";
import { fileUrl, newFileToken } from "./media-files";
import { probeAsset } from "./probe";
import { randomId, readJson, removeFile, withLock, writeFileAtomic } from "./store";
import type { AccountState, AssetType, FileRef, StoredAsset, StoredGeneration, StoredMedia } from "./types";

type Handler = (ctx: RouteContext, caller: Caller, params: string[]) => Promise<Response>;

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

const thumb = (ctx: RouteContext, id: string) => fileUrl(ctx.base, { provider: "rendernet", token: thumbnailToken(id), ext: "png" });

function resourceList(items: { id: string; name: string; base_model?: string }[], extra: (item: { id: string }) => object = () => ({})): Handler {
  return async (ctx) => {
    const page = parsePage(ctx.url.searchParams);
    const { items: slice } = paginate(items, page);
    return json({ data: slice.map((item) => ({ ...item, thumbnail: thumb(ctx, item.id), ...extra(item) })), err: {} });
  };
}

function typedCatalog(sd: typeof STYLES, flux: typeof STYLES): Handler {
  return async (ctx, caller, params) => {
    const type = ctx.url.searchParams.get("type");
    if (type !== null && type !== "" && type !== "flux") throw badRequest("type must be flux, or omitted for the SD 1.5 / SDXL catalogue");
    return resourceList(type === "flux" ? flux : sd)(ctx, caller, params);
  };
}

// ---------- views ----------

function mediaView(ctx: RouteContext, media: StoredMedia, generation: StoredGeneration, state: AccountState) {
  const status = mediaStatus(media, generation.createdAtMs, ctx.now(), effectiveSchedule(ctx.schedule, state));
  const view: Record<string, unknown> = { id: media.id, type: media.type, dim: media.dim, status };
  if (media.model) view.model = media.model;
  if (media.style) view.style = media.style;
  if (media.style_detail) view.style_detail = media.style_detail;
  if (media.seed !== undefined) view.seed = media.seed;
  if (status === "success" && media.file) view.url = fileUrl(ctx.base, media.file);
  else if (status === "failed" || status === "censored") view.url = "";
  return view;
}

function generationView(ctx: RouteContext, generation: StoredGeneration, state: AccountState) {
  return {
    generation_id: generation.id,
    created_at: Math.floor(generation.createdAtMs / 1000),
    media: generation.media.map((media) => mediaView(ctx, media, generation, state)),
  };
}

function assetV2View(ctx: RouteContext, asset: StoredAsset, state: AccountState) {
  const status = assetStatus(asset, ctx.now(), effectiveSchedule(ctx.schedule, state));
  const view: Record<string, unknown> = { id: asset.id, type: asset.type, status, size: status === "active" && asset.size ? asset.size : asset.declaredSize };
  if (status === "active" && asset.file) {
    view.url = fileUrl(ctx.base, asset.file);
    if (asset.duration !== undefined) view.duration = asset.duration;
    if (asset.frames !== undefined) view.frames = asset.frames;
  }
  return view;
}

function assetV1View(ctx: RouteContext, asset: StoredAsset, state: AccountState) {
  const v2 = assetV2View(ctx, asset, state);
  const data: Record<string, unknown> = { size: v2.size };
  if (v2.url) data.url = v2.url;
  return { id: asset.id, type: asset.type, status: v2.status, tags: [], data };
}

// ---------- generations ----------

const createGenerations: Handler = async (ctx, caller) => {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) throw badRequest(body.message);
  return ctx.store.update("rendernet", caller.keyHash, async (state) => {
    const now = ctx.now();
    const schedule = effectiveSchedule(ctx.schedule, state);
    const plan = planGenerations(body.value, { state, now, schedule });
    if (!plan.ok) throw badRequest(plan.message);
    if (plan.total > state.credits) {
      throw new HttpError(402, `insufficient credits: this request costs ${plan.total} credits and the balance is ${state.credits}`, "insufficient_credits");
    }
    state.credits -= plan.total;
    const created: StoredGeneration[] = [];
    for (const item of plan.items) {
      const seed = item.type === "image" && item.tool !== "true_touch" && item.tool !== "segment" ? (item.seed ?? randomSeed()) : undefined;
      const media: StoredMedia[] = [];
      for (let index = 0; index < item.batch; index++) {
        const mediaSeed = seed === undefined ? undefined : seed + index;
        const stored: StoredMedia = {
          id: randomId(item.type === "video" ? "vid_" : "img_"),
          type: item.type,
          dim: item.dim,
          ...item.labels,
          seed: mediaSeed,
          outcome: item.outcome,
          failReason: item.failReason,
        };
        if (item.outcome === "success") {
          const file: FileRef = { provider: "rendernet", token: newFileToken(), ext: item.ext };
          await ctx.files.saveRecipe(file, item.recipe(mediaSeed ?? 0, index));
          stored.file = file;
        }
        media.push(stored);
      }
      const generation: StoredGeneration = { id: randomId("gen_"), createdAtMs: now, tool: item.tool, credits: item.credits, media };
      state.generations.push(generation);
      created.push(generation);
    }
    const call = state.calls.find((record) => record.id === caller.callId);
    if (call) call.generation_ids = created.map((generation) => generation.id);
    const responses = created.map((generation) => ({
      generation_id: generation.id,
      credits_remaining: state.credits,
      media: generation.media.map((media) => {
        const view: Record<string, unknown> = { id: media.id, status: "initiated", type: media.type, dim: media.dim };
        if (media.model) view.model = media.model;
        if (media.style) view.style = media.style;
        if (media.style_detail) view.style_detail = media.style_detail;
        if (media.seed !== undefined) view.seed = media.seed;
        return view;
      }),
      result: "initiated",
    }));
    const data: Record<string, unknown> = { ...responses[0] };
    if (responses.length > 1) data.generations = responses;
    return json({ data, err: {} }, 201);
  });
};

const estimate: Handler = async (ctx, caller) => {
  const fail = (message: string, code = "invalid_request", status = 400) => json({ data: null, error: { message, code } }, status);
  const body = await readJsonBody(ctx.request);
  if (!body.ok) return fail(body.message);
  const state = await ctx.store.read("rendernet", caller.keyHash);
  const plan = planGenerations(body.value, { state, now: ctx.now(), schedule: effectiveSchedule(ctx.schedule, state) });
  if (!plan.ok) return fail(plan.message);
  return json({ data: { estimated: plan.total, balance: state.credits }, error: {} });
};

const listGenerations: Handler = async (ctx, caller) => {
  const params = ctx.url.searchParams;
  const status = params.get("status");
  if (status !== null && status !== "" && status !== "success" && status !== "failed") throw badRequest("status must be one of: success, failed");
  const page = parsePage(params);
  const state = await ctx.store.read("rendernet", caller.keyHash);
  const mediaId = params.get("media_id");
  const generationId = params.get("generation_id");
  let views = [...state.generations].reverse().map((generation) => generationView(ctx, generation, state));
  if (generationId) views = views.filter((view) => view.generation_id === generationId);
  if (mediaId) views = views.filter((view) => view.media.some((media) => media.id === mediaId));
  if (status) {
    const wanted = status === "failed" ? ["failed", "censored"] : ["success"];
    views = views.filter((view) => view.media.some((media) => wanted.includes(media.status as string)));
  }
  const { items, pagination } = paginate(views, page);
  return json({ data: items, err: {}, pagination });
};

const getGeneration: Handler = async (ctx, caller, [id]) => {
  const state = await ctx.store.read("rendernet", caller.keyHash);
  const generation = state.generations.find((candidate) => candidate.id === id);
  if (!generation) throw notFound(`generation ${id} not found`);
  return json({ data: generationView(ctx, generation, state), err: {} });
};

const deleteGeneration: Handler = async (ctx, caller, [id]) =>
  ctx.store.update("rendernet", caller.keyHash, (state) => {
    const index = state.generations.findIndex((candidate) => candidate.id === id);
    if (index < 0) throw notFound(`generation ${id} not found`);
    state.generations.splice(index, 1);
    return json({ data: { id }, err: {} });
  });

const getMedia: Handler = async (ctx, caller, [id]) => {
  const state = await ctx.store.read("rendernet", caller.keyHash);
  for (const generation of state.generations) {
    const media = generation.media.find((candidate) => candidate.id === id);
    if (media) return json({ data: mediaView(ctx, media, generation, state), err: {} });
  }
  throw notFound(`media ${id} not found`);
};

// ---------- assets ----------

const uploadRequest = z.object(
  {
    size: z.object(
      {
        width: z.number({ error: (i) => (i.input === undefined ? "size.width is required" : "size.width must be an integer") }).int({ error: "size.width must be an integer" }).min(0, { error: "size.width must not be negative" }),
        height: z.number({ error: (i) => (i.input === undefined ? "size.height is required" : "size.height must be an integer") }).int({ error: "size.height must be an integer" }).min(0, { error: "size.height must not be negative" }),
      },
      { error: (i) => (i.input === undefined ? "size is required ({width, height})" : "size must be an object {width, height}") },
    ),
  },
  { error: "body must be a JSON object {size: {width, height}}" },
);

interface UploadIndex {
  keyHash: string;
  assetId: string;
}

const uploadIndexPath = (ctx: RouteContext, token: string) => path.join(ctx.dataDir, "uploads", `${token}.json`);

async function createAsset(ctx: RouteContext, caller: Caller, type: AssetType, api: "v1" | "v2") {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) throw badRequest(body.message);
  const parsed = uploadRequest.safeParse(body.value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "invalid body");
  const token = newFileToken();
  return ctx.store.update("rendernet", caller.keyHash, async (state) => {
    const asset: StoredAsset = { id: randomId("ast_"), type, api, createdAtMs: ctx.now(), declaredSize: parsed.data.size, uploadToken: token };
    await writeFileAtomic(uploadIndexPath(ctx, token), JSON.stringify({ keyHash: caller.keyHash, assetId: asset.id } satisfies UploadIndex));
    state.assets.push(asset);
    return { asset, state, uploadUrl: `${ctx.base}/rendernet/uploads/${token}` };
  });
}

const uploadV1: Handler = async (ctx, caller) => {
  const { asset, state, uploadUrl } = await createAsset(ctx, caller, "image", "v1");
  return json({ data: { asset: assetV1View(ctx, asset, state), upload_url: uploadUrl }, err: {} }, 201);
};

const uploadV2: Handler = async (ctx, caller) => {
  const type = ctx.url.searchParams.get("type") || "image";
  if (type !== "image" && type !== "video" && type !== "audio") throw badRequest("type must be one of: image, video, audio");
  const { asset, state, uploadUrl } = await createAsset(ctx, caller, type, "v2");
  return json({ data: { ...assetV2View(ctx, asset, state), upload_url: uploadUrl }, err: {} }, 201);
};

const listAssets: Handler = async (ctx, caller) => {
  const type = ctx.url.searchParams.get("type");
  if (type && type !== "image" && type !== "video" && type !== "audio") throw badRequest("type must be one of: image, video, audio");
  const page = parsePage(ctx.url.searchParams);
  const state = await ctx.store.read("rendernet", caller.keyHash);
  const assets = [...state.assets].reverse().filter((asset) => !type || asset.type === type);
  const { items, pagination } = paginate(assets, page);
  return json({ data: items.map((asset) => assetV2View(ctx, asset, state)), err: {}, pagination });
};

const getAsset: Handler = async (ctx, caller, [id]) => {
  const state = await ctx.store.read("rendernet", caller.keyHash);
  const asset = state.assets.find((candidate) => candidate.id === id);
  if (!asset) throw notFound(`asset ${id} not found`);
  return json({ data: assetV2View(ctx, asset, state), err: {} });
};

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/**
 * PUT <base>/rendernet/uploads/<token>: the presigned, one-time upload URL (no API key, raw bytes). The token is the
 * permission, so it is checked before the body is read; the body is then counted while it arrives (200 MB max).
 */
export async function handleUpload(ctx: RouteContext, token: string): Promise<Response> {
  const refused = () => errorEnvelope(403, "upload URL is unknown, expired or already used", "forbidden", { connection: "close" });
  if (ctx.request.method !== "PUT") return errorEnvelope(405, "use PUT with the raw bytes", "method_not_allowed", { allow: "PUT", connection: "close" });
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(token)) return refused();
  if (!(await readJson<UploadIndex>(uploadIndexPath(ctx, token)))) return refused();
  const bytes = Buffer.from(await readBodyBytes(ctx.request, MAX_UPLOAD_BYTES, "upload too large (200 MB max)"));
  return withLock(`upload:${token}`, async () => {
    const index = await readJson<UploadIndex>(uploadIndexPath(ctx, token));
    if (!index) return errorEnvelope(403, "upload URL is unknown, expired or already used", "forbidden");
    await ctx.store.update("rendernet", index.keyHash, async (state) => {
      const asset = state.assets.find((candidate) => candidate.id === index.assetId);
      if (!asset) return;
      const probe = await probeAsset(asset.type, bytes);
      asset.uploadedAtMs = ctx.now();
      if (probe.ok) {
        const file: FileRef = { provider: "rendernet", token: newFileToken(), ext: probe.ext };
        await ctx.files.saveBytes(file, bytes);
        asset.file = file;
        asset.outcome = "active";
        asset.size = probe.size ?? asset.declaredSize;
        asset.duration = probe.duration;
        asset.frames = probe.frames;
      } else {
        asset.outcome = "failed";
        asset.failReason = probe.reason;
      }
    });
    await removeFile(uploadIndexPath(ctx, token));
    return new Response(null, { status: 200 });
  });
}

// ---------- characters ----------

const characterTypeSchema = z.enum(["realistic", "stylized"], {
  error: (i) => (i.input === undefined ? "character_type is required" : "character_type must be one of: realistic, stylized"),
});
const requiredString = (name: string) =>
  z.string({ error: (i) => (i.input === undefined ? `${name} is required` : `${name} must be a string`) });
const createCharacterSchema = z.object(
  {
    asset_id: requiredString("asset_id").min(1, { error: "asset_id must not be empty" }),
    character_type: characterTypeSchema,
    name: requiredString("name").trim().min(1, { error: "name must not be empty" }),
    prompt: requiredString("prompt"),
  },
  { error: "body must be a JSON object" },
);
const editCharacterSchema = createCharacterSchema.omit({ name: true });

function characterAsset(ctx: RouteContext, state: AccountState, id: string): StoredAsset & { file: FileRef } {
  const asset = state.assets.find((candidate) => candidate.id === id);
  if (!asset) throw badRequest(`asset_id "${id}" is not a known asset of this account`);
  if (asset.type !== "image") throw badRequest(`asset_id "${id}" is a ${asset.type} asset; an image asset is required`);
  const status = assetStatus(asset, ctx.now(), effectiveSchedule(ctx.schedule, state));
  if (status !== "active" || !asset.file) throw badRequest(`asset_id "${id}" is not usable (asset status ${status})`);
  return asset as StoredAsset & { file: FileRef };
}

const listCharacters: Handler = async (ctx, caller) => {
  const page = parsePage(ctx.url.searchParams);
  const state = await ctx.store.read("rendernet", caller.keyHash);
  const all = [
    ...SYSTEM_CHARACTERS.map((character) => ({ ...character, input_image: thumb(ctx, character.id), system_character: true })),
    ...state.characters.map((character) => ({
      id: character.id,
      name: character.name,
      character_type: character.character_type,
      prompt: character.prompt,
      input_image: character.input_image ? `${ctx.base}${character.input_image}` : "",
      system_character: false,
    })),
  ];
  const { items, pagination } = paginate(all, page);
  return json({ data: items, err: {}, pagination });
};

function ownCharacterView(ctx: RouteContext, character: AccountState["characters"][number]) {
  return {
    id: character.id,
    name: character.name,
    character_type: character.character_type,
    prompt: character.prompt,
    input_image: `${ctx.base}${character.input_image}`,
    system_character: false,
  };
}

const createCharacter: Handler = async (ctx, caller) => {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) throw badRequest(body.message);
  const parsed = createCharacterSchema.safeParse(body.value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "invalid body");
  return ctx.store.update("rendernet", caller.keyHash, (state) => {
    const asset = characterAsset(ctx, state, parsed.data.asset_id);
    if (state.characters.some((character) => character.name.toLowerCase() === parsed.data.name.toLowerCase())) {
      throw new HttpError(409, `a character named "${parsed.data.name}" already exists in this account`, "conflict");
    }
    const character = {
      id: randomId("chr_"),
      name: parsed.data.name,
      character_type: parsed.data.character_type,
      prompt: parsed.data.prompt,
      asset_id: asset.id,
      input_image: fileUrl("", asset.file),
      createdAtMs: ctx.now(),
    };
    state.characters.push(character);
    return json({ data: ownCharacterView(ctx, character), err: {} }, 201);
  });
};

const editCharacter: Handler = async (ctx, caller, [id]) => {
  if (SYSTEM_CHARACTERS.some((character) => character.id === id)) throw new HttpError(403, "system characters cannot be edited", "forbidden");
  const body = await readJsonBody(ctx.request);
  if (!body.ok) throw badRequest(body.message);
  const parsed = editCharacterSchema.safeParse(body.value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "invalid body");
  return ctx.store.update("rendernet", caller.keyHash, (state) => {
    const character = state.characters.find((candidate) => candidate.id === id);
    if (!character) throw notFound(`character ${id} not found`);
    const asset = characterAsset(ctx, state, parsed.data.asset_id);
    character.asset_id = asset.id;
    character.input_image = fileUrl("", asset.file);
    character.character_type = parsed.data.character_type;
    character.prompt = parsed.data.prompt;
    return json({ data: ownCharacterView(ctx, character), err: {} });
  });
};

// ---------- routing ----------

const ID = "([A-Za-z0-9_.-]+)";

export const RENDERNET_ROUTES: Route[] = [
  { pattern: /^\/pub\/v1\/models$/, methods: { GET: resourceList(MODELS) } },
  { pattern: /^\/pub\/v1\/styles$/, methods: { GET: typedCatalog(STYLES, FLUX_STYLES) } },
  { pattern: /^\/pub\/v1\/loras$/, methods: { GET: resourceList(LORAS) } },
  { pattern: /^\/pub\/v1\/controlnets$/, methods: { GET: typedCatalog(CONTROLNETS, FLUX_CONTROLNETS) } },
  { pattern: /^\/pub\/v1\/voices$/, methods: { GET: resourceList(VOICES) } },
  { pattern: /^\/pub\/v1\/generations$/, methods: { GET: listGenerations, POST: createGenerations } },
  { pattern: /^\/pub\/v1\/generations\/estimate$/, methods: { POST: estimate } },
  { pattern: new RegExp(`^/pub/v1/generations/media/${ID}$`), methods: { GET: getMedia } },
  { pattern: new RegExp(`^/pub/v1/generations/${ID}$`), methods: { GET: getGeneration, DELETE: deleteGeneration } },
  { pattern: /^\/pub\/v1\/assets\/upload$/, methods: { POST: uploadV1 } },
  { pattern: /^\/pub\/v2\/assets\/upload$/, methods: { POST: uploadV2 } },
  { pattern: /^\/pub\/v2\/assets$/, methods: { GET: listAssets } },
  { pattern: new RegExp(`^/pub/v2/assets/${ID}$`), methods: { GET: getAsset } },
  { pattern: /^\/pub\/v1\/characters$/, methods: { GET: listCharacters, POST: createCharacter } },
  { pattern: new RegExp(`^/pub/v1/characters/${ID}$`), methods: { PUT: editCharacter } },
];

export type RouteMatch = { handler: Handler; params: string[] } | { status: 404 } | { status: 405; allow: string };

export function matchRoute(routes: Route[], method: string, subPath: string): RouteMatch {
  for (const route of routes) {
    const match = route.pattern.exec(subPath);
    if (!match) continue;
    const handler = route.methods[method] ?? (method === "HEAD" ? route.methods.GET : undefined);
    if (!handler) return { status: 405, allow: Object.keys(route.methods).join(", ") };
    return { handler, params: match.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return { status: 404 };
}
