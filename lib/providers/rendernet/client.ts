import "server-only";
import type { z } from "zod";
import { logger } from "@/lib/logger";
import { getCircuitBreaker, type CircuitBreakerOptions } from "@/lib/providers/http/circuit-breaker";
import { ProviderError, invalidInputError, isProviderError, providerErrorFromResponse } from "@/lib/providers/http/errors";
import {
  combineSignals,
  defaultHttpDeps,
  defaultTimeouts,
  rawStatusLabel,
  sendRequest,
  type HttpDeps,
  type HttpMethod,
  type HttpResponse,
  type LogContext,
  type RequestOptions,
} from "@/lib/providers/http/request";
import {
  assetContentTypes,
  createCharacterInputSchema,
  editCharacterInputSchema,
  formatPath,
  generationItemsSchema,
  uploadSizeSchema,
  validateGenerationItems,
  type AssetType,
  type CreateCharacterInput,
  type EditCharacterInput,
  type GenerationCatalog,
  type GenerationItem,
  type GenerationItemInput,
} from "@/lib/providers/rendernet/request-schemas";
import {
  assetSchema,
  characterSchema,
  createGenerationsResponseSchema,
  dataResponseSchema,
  deleteResponseSchema,
  estimateResponseSchema,
  generationSchema,
  listResponseSchema,
  mediaSchema,
  uploadResponseSchema,
  readErrorMessage,
  resourceSchema,
  type CreateGenerationsResult,
  type Pagination,
  type RenderNetAsset,
  type RenderNetCharacter,
  type RenderNetGeneration,
  type RenderNetMedia,
  type RenderNetResource,
} from "@/lib/providers/rendernet/response-schemas";

/**
 * RenderNet client. What it promises:
 * - Nothing invalid is sent: generation items go through `validateGenerationItems` (every documented rule, plus
 *   the catalogue rules when a catalogue is given); query strings carry only parameters the spec defines; bodies
 *   carry no undefined or unknown fields. Header `X-API-KEY` on every call except the presigned upload PUT.
 * - Creates (POST /pub/v1/generations, asset upload tickets, characters) are sent once. A generation create whose
 *   answer may hide a create that was carried out (any 5xx, a network error or timeout after sending, an abort, a
 *   2xx whose body is unreadable or names no generation) throws `unknown_outcome` with `sentAt`: there is no
 *   idempotency key, so reconcile with `findLostGenerations` instead of resending. Only answers that certainly did
 *   nothing are anything else: 429 (`rate_limited`, with `retryAfterMs`), a 4xx refusal (invalid input, key, credits,
 *   content), or a connection never made (`unavailable` / `blocked`). A 2xx of an unexpected but readable shape
 *   (202, extra fields, an undocumented `result`) is accepted. An upload ticket whose answer is lost is
 *   `unavailable`: it can only have made a pending asset nobody uses, which costs nothing, so asking again is safe.
 *   Reads (GET, estimate, the PUT) are retried per lib/providers/http/request.ts; one circuit breaker per base URL + key.
 * - Every method takes `{ signal, context }` (RequestOptions), on top of the client's own (`options.signal`,
 *   `options.context`): the signal ends the call in flight and any wait (asset polling included); the context (ids
 *   such as generationId) goes on the debug line of every HTTP attempt, and on the debug lines that show the raw
 *   statuses RenderNet wrote (create `result`, media `status`, asset `status`).
 * - Answers are read tolerantly (response-schemas.ts); errors become ProviderError without the key or the body.
 * - Every request, the presigned upload PUT included (its URL comes from RenderNet's answer), goes through the
 *   fetch it is given: the checked outbound client (lib/net), which reaches public addresses only and follows no
 *   redirect; a 3xx is an error (`blocked`).
 */

export interface RenderNetClientOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  timeouts?: { jsonMs?: number; transferMs?: number; budgetMs?: number };
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  breaker?: CircuitBreakerOptions;
  /** Waiting for an uploaded asset to become active. */
  assetPoll?: { deadlineMs?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Aborts every call of this client (a job's signal: lease lost, worker stopping). */
  signal?: AbortSignal;
  /** Correlation for the debug log of every call (e.g. { generationId }). */
  context?: LogContext;
}

export type { RequestOptions } from "@/lib/providers/http/request";

export interface ListGenerationsOptions {
  status?: "success" | "failed";
  mediaId?: string;
  generationId?: string;
  page?: number;
  pageSize?: number;
}

export interface UploadAssetInput extends RequestOptions {
  type: AssetType;
  bytes: Uint8Array;
  contentType: string;
  /** Approximate size (the spec requires one for every type). */
  size: { width: number; height: number };
}

export interface CreateGenerationsOutcome extends CreateGenerationsResult {
  /** Unix ms when the request was sent. */
  sentAt: number;
  /** The items as sent. */
  items: GenerationItem[];
  /** Fewer generations came back than items were sent: reconcile the rest with findLostGenerations. */
  incomplete: boolean;
}

export interface LostGenerationMatch {
  itemIndex: number;
  generation: RenderNetGeneration;
}

export interface FindLostGenerationsInput extends RequestOptions {
  /** Unix ms when the lost create was sent (ProviderError.sentAt). */
  sentAt: number;
  items: readonly GenerationItemInput[];
  /** Generations the caller already tracks (never adopted twice). */
  excludeGenerationIds?: Iterable<string>;
  maxPages?: number;
}

export interface RenderNetClient {
  createGenerations(
    items: readonly GenerationItemInput[],
    options?: { catalog?: GenerationCatalog } & RequestOptions,
  ): Promise<CreateGenerationsOutcome>;
  estimate(
    items: readonly GenerationItemInput[],
    options?: { catalog?: GenerationCatalog } & RequestOptions,
  ): Promise<{ estimated: number; balance: number }>;
  listGenerations(options?: ListGenerationsOptions & RequestOptions): Promise<{ generations: RenderNetGeneration[]; pagination?: Pagination }>;
  getGeneration(id: string, options?: RequestOptions): Promise<RenderNetGeneration>;
  deleteGeneration(id: string, options?: RequestOptions): Promise<{ id: string }>;
  getMedia(id: string, options?: RequestOptions): Promise<RenderNetMedia>;
  uploadAsset(input: UploadAssetInput): Promise<RenderNetAsset>;
  getAsset(id: string, options?: RequestOptions): Promise<RenderNetAsset>;
  listAssets(options?: { type?: AssetType; page?: number; pageSize?: number } & RequestOptions): Promise<RenderNetAsset[]>;
  listCharacters(options?: { page?: number; pageSize?: number } & RequestOptions): Promise<RenderNetCharacter[]>;
  createCharacter(input: CreateCharacterInput, options?: RequestOptions): Promise<RenderNetCharacter>;
  editCharacter(id: string, input: EditCharacterInput, options?: RequestOptions): Promise<RenderNetCharacter>;
  listModels(options?: RequestOptions): Promise<RenderNetResource[]>;
  listStyles(options?: { flux?: boolean } & RequestOptions): Promise<RenderNetResource[]>;
  listLoras(options?: RequestOptions): Promise<RenderNetResource[]>;
  listControlNets(options?: { flux?: boolean } & RequestOptions): Promise<RenderNetResource[]>;
  listVoices(options?: RequestOptions): Promise<RenderNetResource[]>;
  findLostGenerations(input: FindLostGenerationsInput): Promise<LostGenerationMatch[]>;
}

export const renderNetDefaultBaseUrl = "https://api.rendernet.ai";
const maxPageSize = 50;
const maxListPages = 100;

type Query = Record<string, string | number | undefined>;

interface CallOptions<S extends z.ZodType> {
  method: HttpMethod;
  /** Path template for messages, e.g. /pub/v1/generations/{id}. */
  template: string;
  path: string;
  query?: Query;
  body?: unknown;
  /** false for creates: sent once, lost answers → unknown_outcome. */
  idempotent: boolean;
  schema: S;
  /** The caller's per-call options (combined with the client's). */
  options?: RequestOptions | undefined;
  /** A generation create: every 5xx may hide a create that was carried out (unknown_outcome). */
  create?: boolean;
}

function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError("RenderNet base URL is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError("RenderNet base URL must be http(s)");
  return url.toString().replace(/\/+$/, "");
}

function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

const clampPageSize = (size: number | undefined) =>
  size === undefined ? undefined : Math.max(1, Math.min(maxPageSize, Math.floor(size)));
const clampPage = (page: number | undefined) => (page === undefined ? undefined : Math.max(1, Math.floor(page)));

export function createRenderNetClient(options: RenderNetClientOptions): RenderNetClient {
  const apiKey = options.apiKey;
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new ProviderError("rendernet", "invalid_key", "No RenderNet API key configured");
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? renderNetDefaultBaseUrl);
  const deps: HttpDeps = {
    fetch: options.fetch ?? defaultHttpDeps.fetch,
    sleep: options.sleep ?? defaultHttpDeps.sleep,
    random: options.random ?? defaultHttpDeps.random,
    now: options.now ?? defaultHttpDeps.now,
  };
  const jsonMs = options.timeouts?.jsonMs ?? defaultTimeouts.jsonMs;
  const transferMs = options.timeouts?.transferMs ?? defaultTimeouts.transferMs;
  const retry = options.timeouts?.budgetMs !== undefined ? { budgetMs: options.timeouts.budgetMs } : undefined;
  const breaker = getCircuitBreaker("rendernet", baseUrl, apiKey, { now: deps.now, ...options.breaker });
  const secrets = [apiKey];

  function errorFor(response: HttpResponse, operation: string, idempotent: boolean, create: boolean): ProviderError {
    if (create && response.status >= 500) {
      // The server failed while or after handling it: the generation may exist (and be charged). Reconcile.
      return new ProviderError("rendernet", "unknown_outcome", `${operation}: HTTP ${response.status}; the create may have been carried out`, {
        status: response.status,
        sentAt: response.sentAt,
      });
    }
    if (!idempotent && (response.status === 502 || response.status === 504)) {
      // A gateway may have forwarded the create before failing: the outcome is unknown.
      return new ProviderError("rendernet", "unknown_outcome", `${operation}: HTTP ${response.status} from a gateway`, {
        status: response.status,
        sentAt: response.sentAt,
      });
    }
    const info: Parameters<typeof providerErrorFromResponse>[0] = {
      provider: "rendernet",
      status: response.status,
      secrets,
      operation,
    };
    const message = readErrorMessage(response.json, response.text);
    if (message !== undefined) info.providerMessage = message;
    if (response.retryAfterMs !== undefined) info.retryAfterMs = response.retryAfterMs;
    return providerErrorFromResponse(info);
  }

  /** The client's signal and context combined with a call's. */
  function scoped(opts: RequestOptions | undefined): { signal?: AbortSignal; context: LogContext } {
    const signal = combineSignals(options.signal, opts?.signal);
    const context = { ...options.context, ...opts?.context };
    return signal ? { signal, context } : { context };
  }

  async function call<S extends z.ZodType>(call: CallOptions<S>): Promise<{ data: z.output<S>; response: HttpResponse }> {
    const operation = `${call.method} ${call.template}`;
    const { signal, context } = scoped(call.options);
    const headers: Record<string, string> = { "X-API-KEY": apiKey, Accept: "application/json" };
    if (call.body !== undefined) headers["Content-Type"] = "application/json";
    const request: Parameters<typeof sendRequest>[0] = {
      provider: "rendernet",
      method: call.method,
      url: `${baseUrl}${call.path}${queryString(call.query)}`,
      headers,
      idempotent: call.idempotent,
      timeoutMs: jsonMs,
      breaker,
      operation,
      context,
    };
    if (call.body !== undefined) request.body = JSON.stringify(call.body);
    if (signal) request.signal = signal;
    if (retry) request.retry = retry;
    const response = await sendRequest(request, deps);
    if (response.status < 200 || response.status >= 300) throw errorFor(response, operation, call.idempotent, call.create === true);
    const parsed = call.schema.safeParse(response.json);
    if (!parsed.success) {
      if (!call.idempotent) {
        throw new ProviderError("rendernet", "unknown_outcome", `${operation}: HTTP ${response.status} with an unreadable body`, {
          status: response.status,
          sentAt: response.sentAt,
        });
      }
      throw new ProviderError("rendernet", "unavailable", `${operation}: HTTP ${response.status} with an unexpected body`, {
        status: response.status,
      });
    }
    return { data: parsed.data, response };
  }

  const id = (value: string, field: string) => {
    if (typeof value !== "string" || value.trim() === "") {
      throw invalidInputError("rendernet", [{ field, message: `${field} is required` }]);
    }
    return encodeURIComponent(value);
  };

  async function collect<T extends z.ZodType>(path: string, query: Query, item: T, opts?: RequestOptions): Promise<z.output<T>[]> {
    const all: z.output<T>[] = [];
    for (let page = 1; page <= maxListPages; page++) {
      const { data } = await call({
        method: "GET",
        template: path,
        path,
        query: { ...query, page, page_size: maxPageSize },
        idempotent: true,
        schema: listResponseSchema(item),
        options: opts,
      });
      all.push(...(data.data as z.output<T>[]));
      const pagination = data.pagination as Pagination | undefined;
      if (!pagination || data.data.length === 0 || page * pagination.pageSize >= pagination.total || all.length >= pagination.total) {
        break;
      }
    }
    return all;
  }

  async function listPageOrAll<T extends z.ZodType>(
    path: string,
    query: Query,
    item: T,
    page: number | undefined,
    pageSize: number | undefined,
    opts?: RequestOptions,
  ): Promise<z.output<T>[]> {
    if (page === undefined) return collect(path, query, item, opts);
    const { data } = await call({
      method: "GET",
      template: path,
      path,
      query: { ...query, page: clampPage(page), page_size: clampPageSize(pageSize) },
      idempotent: true,
      schema: listResponseSchema(item),
      options: opts,
    });
    return data.data as z.output<T>[];
  }

  async function listGenerations(opts: ListGenerationsOptions & RequestOptions = {}) {
    const { data } = await call({
      method: "GET",
      template: "/pub/v1/generations",
      path: "/pub/v1/generations",
      query: {
        status: opts.status,
        media_id: opts.mediaId,
        generation_id: opts.generationId,
        page: clampPage(opts.page),
        page_size: clampPageSize(opts.pageSize),
      },
      idempotent: true,
      schema: listResponseSchema(generationSchema),
      options: opts,
    });
    const result: { generations: RenderNetGeneration[]; pagination?: Pagination } = { generations: data.data };
    if (data.pagination) result.pagination = data.pagination;
    return result;
  }

  async function getAsset(assetId: string, opts?: RequestOptions): Promise<RenderNetAsset> {
    const { data } = await call({
      method: "GET",
      template: "/pub/v2/assets/{asset_id}",
      path: `/pub/v2/assets/${id(assetId, "assetId")}`,
      idempotent: true,
      schema: dataResponseSchema(assetSchema),
      options: opts,
    });
    logger.debug("rendernet: asset status", { ...scoped(opts).context, assetId: data.data.id, rawStatus: rawStatusLabel(data.data.rawStatus) });
    return data.data;
  }

  async function uploadAsset(input: UploadAssetInput): Promise<RenderNetAsset> {
    const contentType = input.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const allowed = assetContentTypes[input.type];
    if (!allowed) throw invalidInputError("rendernet", [{ field: "type", message: "type must be one of image, video, audio" }]);
    if (!allowed.includes(contentType)) {
      throw invalidInputError("rendernet", [
        { field: "contentType", message: `contentType must be one of ${allowed.join(", ")} for ${input.type} assets` },
      ]);
    }
    if (!(input.bytes instanceof Uint8Array) || input.bytes.byteLength === 0) {
      throw invalidInputError("rendernet", [{ field: "bytes", message: "bytes must not be empty" }]);
    }
    const size = uploadSizeSchema.safeParse(input.size);
    if (!size.success) {
      throw invalidInputError(
        "rendernet",
        size.error.issues.map((issue) => {
          const field = formatPath(["size", ...issue.path]);
          return { field, message: `${field} ${issue.message}` };
        }),
      );
    }

    const opts: RequestOptions = {};
    if (input.signal) opts.signal = input.signal;
    if (input.context) opts.context = input.context;
    const { signal, context } = scoped(opts);

    // 1. The ticket: creates a pending asset (sent once). If its answer is lost, at worst a pending asset nobody
    // will upload to was made, which costs nothing: that is "try again later", not an unknown charge.
    const { data: ticket } = await call({
      method: "POST",
      template: "/pub/v2/assets/upload",
      path: "/pub/v2/assets/upload",
      query: { type: input.type },
      body: { size: { width: size.data.width, height: size.data.height } },
      idempotent: false,
      schema: uploadResponseSchema,
      options: opts,
    }).catch((error: unknown) => {
      if (!isProviderError(error) || error.cause !== "unknown_outcome" || signal?.aborted) throw error;
      throw new ProviderError("rendernet", "unavailable", `${error.message} (an upload ticket: asking again is safe)`, {
        ...(error.status !== undefined ? { status: error.status } : {}),
        userMessage: "RenderNet did not answer the upload properly. Try again later.",
      });
    });

    // 2. The bytes, raw, to the presigned URL. No API key: the URL is its own credential (never logged).
    const put: Parameters<typeof sendRequest>[0] = {
      provider: "rendernet",
      method: "PUT",
      url: ticket.uploadUrl,
      headers: { "Content-Type": contentType },
      body: input.bytes,
      idempotent: true,
      timeoutMs: transferMs,
      operation: "PUT presigned upload URL",
      context,
    };
    if (signal) put.signal = signal;
    if (retry) put.retry = retry;
    const stored = await sendRequest(put, deps);
    if (stored.status >= 300 && stored.status < 400) {
      // The URL came from RenderNet's answer; where it redirects is not followed (lib/net), nor shown.
      throw new ProviderError("rendernet", "blocked", `PUT presigned upload URL: HTTP ${stored.status} (redirect not followed)`, {
        status: stored.status,
        refusal: "redirect",
        userMessage: "RenderNet's storage answered the upload with a redirect, which Atelier does not follow. Try again later.",
      });
    }
    if (stored.status < 200 || stored.status >= 300) {
      const cause = stored.status >= 500 || stored.status === 429 ? "unavailable" : "invalid_input";
      throw new ProviderError("rendernet", cause, `PUT presigned upload URL: HTTP ${stored.status}`, {
        status: stored.status,
        userMessage:
          cause === "unavailable"
            ? "RenderNet's storage is unavailable right now. Try the upload again later."
            : "RenderNet's storage refused the file. Try the upload again.",
      });
    }

    // 3. Wait for processing: pending → active (or failed), with a deadline.
    const deadlineMs = options.assetPoll?.deadlineMs ?? 120_000;
    const maxDelayMs = options.assetPoll?.maxDelayMs ?? 5_000;
    let delay = options.assetPoll?.initialDelayMs ?? 500;
    const deadline = deps.now() + deadlineMs;
    for (;;) {
      const asset = await getAsset(ticket.asset.id, opts);
      if (asset.status === "active") return asset;
      if (asset.status === "failed") {
        throw new ProviderError("rendernet", "invalid_input", `asset ${asset.id} failed processing`, {
          field: "bytes",
          userMessage: "RenderNet could not process the uploaded file. Check its format and size.",
        });
      }
      if (deps.now() + delay > deadline) {
        throw new ProviderError("rendernet", "timeout", `asset ${asset.id} still ${asset.rawStatus ?? "pending"} after ${deadlineMs} ms`, {
          userMessage: "RenderNet is taking too long to process the upload. Try again later.",
        });
      }
      await deps.sleep(delay, signal);
      delay = Math.min(maxDelayMs, Math.round(delay * 1.5));
    }
  }

  async function findLostGenerations(input: FindLostGenerationsInput): Promise<LostGenerationMatch[]> {
    const parsed = generationItemsSchema.safeParse(input.items);
    if (!parsed.success) throw invalidInputError("rendernet", [{ field: "items", message: "items are not valid generation items" }]);
    const items = parsed.data;
    const windowStart = input.sentAt - 60_000;
    const windowEnd = input.sentAt + 10 * 60_000;
    const stopBefore = input.sentAt - 120_000;
    const excluded = new Set(input.excludeGenerationIds ?? []);
    const maxPages = input.maxPages ?? 20;

    const opts: RequestOptions = {};
    if (input.signal) opts.signal = input.signal;
    if (input.context) opts.context = input.context;
    const candidates: RenderNetGeneration[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const { generations, pagination } = await listGenerations({ ...opts, page, pageSize: maxPageSize });
      let reachedOlder = false;
      for (const generation of generations) {
        if (generation.createdAt === undefined) continue;
        if (generation.createdAt < stopBefore) reachedOlder = true;
        if (generation.createdAt >= windowStart && generation.createdAt <= windowEnd && !excluded.has(generation.generationId)) {
          candidates.push(generation);
        }
      }
      if (reachedOlder || generations.length === 0) break;
      if (pagination && page * pagination.pageSize >= pagination.total) break;
    }

    const claimed = new Set<string>();
    const matches: LostGenerationMatch[] = [];
    items.forEach((item, itemIndex) => {
      const best = candidates
        .filter((generation) => !claimed.has(generation.generationId) && generationMatchesItem(generation, item))
        .sort((a, b) => Math.abs((a.createdAt ?? 0) - input.sentAt) - Math.abs((b.createdAt ?? 0) - input.sentAt))[0];
      if (best) {
        claimed.add(best.generationId);
        matches.push({ itemIndex, generation: best });
      }
    });
    return matches;
  }

  return {
    async createGenerations(items, opts = {}) {
      const wire = validateGenerationItems(items, opts.catalog);
      const { data, response } = await call({
        method: "POST",
        template: "/pub/v1/generations",
        path: "/pub/v1/generations",
        body: wire,
        idempotent: false,
        schema: createGenerationsResponseSchema,
        options: opts,
        create: true,
      });
      logger.debug("rendernet: create answered", {
        ...scoped(opts).context,
        status: response.status,
        generations: data.generations.map((generation) => ({
          providerGenerationId: generation.generationId,
          result: rawStatusLabel(generation.result),
          media: generation.media.map((media) => rawStatusLabel(media.rawStatus)),
        })),
      });
      return { ...data, sentAt: response.sentAt, items: wire, incomplete: data.generations.length < wire.length };
    },

    async estimate(items, opts = {}) {
      const wire = validateGenerationItems(items, opts.catalog);
      // A POST that creates nothing: safe to retry.
      const { data } = await call({
        method: "POST",
        template: "/pub/v1/generations/estimate",
        path: "/pub/v1/generations/estimate",
        body: wire,
        idempotent: true,
        schema: estimateResponseSchema,
        options: opts,
      });
      return data;
    },

    listGenerations,

    async getGeneration(generationId, opts) {
      const { data } = await call({
        method: "GET",
        template: "/pub/v1/generations/{generation_id}",
        path: `/pub/v1/generations/${id(generationId, "generationId")}`,
        idempotent: true,
        schema: dataResponseSchema(generationSchema),
        options: opts,
      });
      logger.debug("rendernet: generation status", {
        ...scoped(opts).context,
        providerGenerationId: data.data.generationId,
        media: data.data.media.map((media) => ({ id: media.id, status: media.status, rawStatus: rawStatusLabel(media.rawStatus) })),
      });
      return data.data;
    },

    async deleteGeneration(generationId, opts) {
      const { data } = await call({
        method: "DELETE",
        template: "/pub/v1/generations/{generation_id}",
        path: `/pub/v1/generations/${id(generationId, "generationId")}`,
        idempotent: true,
        schema: deleteResponseSchema,
        options: opts,
      });
      return { id: data.id ?? generationId };
    },

    async getMedia(mediaId, opts) {
      const { data } = await call({
        method: "GET",
        template: "/pub/v1/generations/media/{media_id}",
        path: `/pub/v1/generations/media/${id(mediaId, "mediaId")}`,
        idempotent: true,
        schema: dataResponseSchema(mediaSchema),
        options: opts,
      });
      logger.debug("rendernet: media status", { ...scoped(opts).context, mediaId: data.data.id, status: data.data.status, rawStatus: rawStatusLabel(data.data.rawStatus) });
      return data.data;
    },

    uploadAsset,
    getAsset,

    listAssets(opts = {}) {
      return listPageOrAll("/pub/v2/assets", { type: opts.type }, assetSchema, opts.page, opts.pageSize, opts);
    },

    listCharacters(opts = {}) {
      return listPageOrAll("/pub/v1/characters", {}, characterSchema, opts.page, opts.pageSize, opts);
    },

    async createCharacter(input, opts) {
      const body = parseInput(createCharacterInputSchema, input);
      const { data } = await call({
        method: "POST",
        template: "/pub/v1/characters",
        path: "/pub/v1/characters",
        body: { asset_id: body.assetId, character_type: body.characterType, name: body.name, prompt: body.prompt },
        idempotent: false,
        schema: dataResponseSchema(characterSchema),
        options: opts,
      });
      return data.data;
    },

    async editCharacter(characterId, input, opts) {
      const body = parseInput(editCharacterInputSchema, input);
      const { data } = await call({
        method: "PUT",
        template: "/pub/v1/characters/{character_id}",
        path: `/pub/v1/characters/${id(characterId, "characterId")}`,
        body: { asset_id: body.assetId, character_type: body.characterType, prompt: body.prompt },
        idempotent: true,
        schema: dataResponseSchema(characterSchema),
        options: opts,
      });
      return data.data;
    },

    listModels: (opts) => collect("/pub/v1/models", {}, resourceSchema, opts),
    listStyles: (opts = {}) => collect("/pub/v1/styles", { type: opts.flux ? "flux" : undefined }, resourceSchema, opts),
    listLoras: (opts) => collect("/pub/v1/loras", {}, resourceSchema, opts),
    listControlNets: (opts = {}) => collect("/pub/v1/controlnets", { type: opts.flux ? "flux" : undefined }, resourceSchema, opts),
    listVoices: (opts) => collect("/pub/v1/voices", {}, resourceSchema, opts),

    findLostGenerations,
  };
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidInputError(
    "rendernet",
    parsed.error.issues.map((issue) => {
      const field = formatPath(issue.path);
      return { field, message: `${field} ${issue.message}` };
    }),
  );
}

/** What a lost create's generation must look like: media count, type, model and style of the item. */
export function generationMatchesItem(generation: RenderNetGeneration, item: GenerationItem): boolean {
  const media = generation.media;
  if (media.length === 0) return false;
  const isVideo = item.narrator !== undefined || item.video_anyone !== undefined;
  const expectedType = isVideo ? "video" : "image";
  if (media.some((entry) => entry.type !== undefined && entry.type.toLowerCase() !== expectedType)) return false;
  const isImageTool = item.model !== undefined || item.style_detail !== undefined;
  if (isImageTool && media.length !== (item.batch_size ?? 1)) return false;
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  if (item.model !== undefined) {
    const model = item.model;
    if (media.some((entry) => entry.model !== undefined && !same(entry.model, model))) return false;
  }
  if (item.style_detail !== undefined) {
    const style = item.style_detail.name;
    if (media.some((entry) => entry.style !== undefined && !same(entry.style, style))) return false;
  }
  return true;
}
