import "server-only";
import { z } from "zod";
import { logger } from "@/lib/logger";
import { getCircuitBreaker, type CircuitBreakerOptions } from "@/lib/providers/http/circuit-breaker";
import {
  ProviderError,
  invalidInputError,
  providerErrorFromResponse,
  sanitizeProviderMessage,
} from "@/lib/providers/http/errors";
import {
  combineSignals,
  defaultHttpDeps,
  defaultTimeouts,
  rawStatusLabel,
  sendRequest,
  type HttpDeps,
  type HttpResponse,
  type LogContext,
  type RequestOptions,
} from "@/lib/providers/http/request";
import {
  imageToImageInputSchema,
  qolabaControlNetApps,
  textToImageInputSchema,
  type ImageToImageInput,
  type TextToImageInput,
} from "@/lib/providers/qolaba/request-schemas";
import { plural } from "@/lib/validation/text";

/**
 * Qolaba client (legacy API platform: /getImagetoImage, /getTextToImage, /getImage). What it promises:
 * - `Authorization: Bearer <token>`; the base URL must be https, with no credentials, query or fragment (`allowHttp`
 *   only for addresses the server itself configures: the in-process sandbox, QOLABA_BASE_URL in development). Where
 *   it may lead is the outbound check's business (lib/net): the fetch given here is the checked one. Inputs are
 *   checked against the documented ranges before sending.
 * - Creates are sent once. An answer that may hide a task that was queued (any 5xx to a queued create, a network
 *   error, timeout or abort after sending, a 2xx that is unreadable or names no task) throws `unknown_outcome`.
 *   Qolaba has no list endpoint, so such a task CANNOT be reconciled: the caller can only say it may have been
 *   charged (and a person may submit again knowing it may pay twice). Only answers that certainly queued nothing are
 *   anything else: 429 (`rate_limited`, `retryAfterMs`), 422 and other 4xx refusals, a 500 naming the token
 *   (`invalid_key`), a connection never made. A readable 2xx with a task id is accepted whatever its status word
 *   (an undocumented interim status reads as pending). With `queued: false` the call waits for the images, so a 500
 *   carrying a FAILED task body is that task's own outcome (failed), not an unknown one.
 * - Every method takes `{ signal, context }` (RequestOptions) on top of the client's own; the context goes on the
 *   debug line of every HTTP attempt and on the debug lines showing the raw task `status` Qolaba wrote.
 * - getTask is a read (POST /getImage) and is retried like a GET. It answers a normalised task:
 *   PENDING → pending; SUCCESS → success with `urls`; FAILED (a 500 carrying a FAILED body) → failed with a sanitized
 *   `errorMessage`. NSFW images are dropped upstream: `nsfwDropped` counts them (Has_NSFW_Content flags, else
 *   batch − results). A SUCCESS left with no image because of NSFW throws `content_refused`.
 * - `slots` says what became of each image asked for, matched by the provider's flags, never by position among the
 *   surviving URLs: Has_NSFW_Content[i] true = image i was withheld; the URLs left in `result` belong, in order, to the
 *   slots not flagged (a `result` as long as the flags is read position by position, a flagged entry still withheld).
 *   An unflagged slot with no URL left is `missing`. Without flags (a deployment that omits them) the URLs fill the
 *   first slots and the rest count as withheld, the one reading the spec allows.
 * - 422 → invalid_input naming the field of error_data.errors[0] when it is a field Atelier sent (its own words; the
 *   provider's text stays in the developer message). Keys and raw bodies never reach an error.
 * - Unknown task ids read PENDING forever (results expire after ~4 h): callers poll with a deadline.
 */

export interface QolabaClientOptions {
  token: string;
  baseUrl: string;
  /** Accept an http:// base URL: only for one the server configured itself (the sandbox, a development stand-in). */
  allowHttp?: boolean;
  fetch?: typeof fetch;
  /** syncMs: timeout of a create with queued: false, which waits for the images. */
  timeouts?: { jsonMs?: number; syncMs?: number; budgetMs?: number };
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  breaker?: CircuitBreakerOptions;
  /** Aborts every call of this client (a job's signal: lease lost, worker stopping). */
  signal?: AbortSignal;
  /** Correlation for the debug log of every call (e.g. { generationId }). */
  context?: LogContext;
}

export type QolabaTaskStatus = "pending" | "success" | "failed";

/** What became of one image asked for (see `slots`). */
export type QolabaSlot = { kind: "image"; url: string } | { kind: "withheld" } | { kind: "missing" };

export interface QolabaTask {
  status: QolabaTaskStatus;
  urls: string[];
  /** On success: one entry per image asked for (or per flag), in the order they were asked for. */
  slots: QolabaSlot[];
  nsfwDropped: number;
  /** Images asked for (the echoed batch, or the number of NSFW flags). */
  requested?: number;
  /** Sanitized provider message of a failed task. */
  errorMessage?: string;
}

export interface QolabaSubmission {
  /** Set when the task was queued; poll it with getTask. */
  taskId: string | null;
  /** The task as first reported (pending when queued, final when not). */
  task: QolabaTask;
  /** Unix ms when the create was sent. */
  sentAt: number;
}

export interface QolabaClient {
  imageToImage(input: ImageToImageInput, options?: RequestOptions): Promise<QolabaSubmission>;
  textToImage(input: TextToImageInput, options?: RequestOptions): Promise<QolabaSubmission>;
  getTask(taskId: string, options?: RequestOptions): Promise<QolabaTask>;
}

const looseCount = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional().catch(undefined);

const taskResponseSchema = z.looseObject({
  status: z.string().optional().catch(undefined),
  task_id: z.union([z.string(), z.number().transform(String)]).nullable().optional().catch(undefined),
  error: z.unknown().optional(),
  error_data: z.unknown().optional(),
  input: z.looseObject({ batch: looseCount }).nullable().optional().catch(undefined),
  output: z
    .looseObject({
      result: z.array(z.unknown()).optional().catch(undefined),
      Has_NSFW_Content: z.array(z.unknown()).optional().catch(undefined),
    })
    .nullable()
    .optional()
    .catch(undefined),
});
type TaskBody = z.output<typeof taskResponseSchema>;

export function validateQolabaBaseUrl(value: string, options: { allowHttp?: boolean } = {}): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError("Qolaba base URL is not a valid URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && options.allowHttp)) {
    throw new TypeError("Qolaba base URL must use https");
  }
  if (url.username || url.password || /[?#]/.test(url.href)) {
    throw new TypeError("Qolaba base URL must not carry credentials, a query or a fragment");
  }
  return url.toString().replace(/\/+$/, "");
}

function firstValidationError(errorData: unknown): { field?: string; message?: string } {
  if (!errorData || typeof errorData !== "object") return {};
  const errors = (errorData as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return {};
  const first = errors[0] as { field?: unknown; loc?: unknown; message?: unknown; msg?: unknown };
  const out: { field?: string; message?: string } = {};
  const location = first.field ?? first.loc;
  if (typeof location === "string" && location !== "") out.field = location;
  else if (Array.isArray(location)) {
    const parts = location.filter((part) => part !== "body").map(String);
    if (parts.length > 0) out.field = parts.join(".");
  }
  const message = first.message ?? first.msg;
  if (typeof message === "string") out.message = message;
  return out;
}

function failureText(body: TaskBody): string | undefined {
  const validation = firstValidationError(body.error_data);
  if (validation.message) return validation.message;
  if (typeof body.error_data === "string" && body.error_data.trim() !== "") return body.error_data;
  return typeof body.error === "string" ? body.error : undefined;
}

const isUrl = (value: unknown): value is string => typeof value === "string" && value !== "";

/** Which image each URL is, by the NSFW flags (see the header): never by a surviving URL's position alone. */
export function slotsOf(result: readonly unknown[], urls: readonly string[], flags: readonly boolean[], requested?: number): QolabaSlot[] {
  if (flags.length === 0) {
    const count = Math.max(urls.length, requested ?? 0);
    return Array.from({ length: count }, (_, i): QolabaSlot => (i < urls.length ? { kind: "image", url: urls[i]! } : { kind: "withheld" }));
  }
  if (result.length === flags.length) {
    // Positions kept (placeholders where images were withheld): each entry is its own slot.
    return flags.map((flagged, i): QolabaSlot => {
      const entry = result[i];
      return flagged ? { kind: "withheld" } : isUrl(entry) ? { kind: "image", url: entry } : { kind: "missing" };
    });
  }
  let next = 0;
  return flags.map((flagged): QolabaSlot => {
    if (flagged) return { kind: "withheld" };
    const url = urls[next++];
    return url ? { kind: "image", url } : { kind: "missing" };
  });
}

const authPattern = /token|unauthori[sz]ed|forbidden|credential|api key|authenticat/i;

export function createQolabaClient(options: QolabaClientOptions): QolabaClient {
  const token = options.token;
  if (typeof token !== "string" || token.trim() === "") {
    throw new ProviderError("qolaba", "invalid_key", "No Qolaba token configured");
  }
  const baseUrl = validateQolabaBaseUrl(options.baseUrl, { allowHttp: options.allowHttp ?? false });
  const deps: HttpDeps = {
    fetch: options.fetch ?? defaultHttpDeps.fetch,
    sleep: options.sleep ?? defaultHttpDeps.sleep,
    random: options.random ?? defaultHttpDeps.random,
    now: options.now ?? defaultHttpDeps.now,
  };
  const jsonMs = options.timeouts?.jsonMs ?? defaultTimeouts.jsonMs;
  const syncMs = options.timeouts?.syncMs ?? 120_000;
  const breaker = getCircuitBreaker("qolaba", baseUrl, token, { now: deps.now, ...options.breaker });
  const secrets = [token];

  const parseBody = (response: HttpResponse): TaskBody | undefined => {
    const parsed = taskResponseSchema.safeParse(response.json);
    return parsed.success ? parsed.data : undefined;
  };
  const isFailedBody = (response: HttpResponse) => {
    const body = response.status === 500 ? parseBody(response) : undefined;
    return body?.status?.toUpperCase() === "FAILED";
  };

  /** A 500 with a FAILED body: the task failed, unless the message is about the token (some deployments). */
  function failedBody(response: HttpResponse, operation: string): TaskBody {
    const body = parseBody(response) as TaskBody;
    if (authPattern.test(failureText(body) ?? "")) {
      throw new ProviderError("qolaba", "invalid_key", `${operation}: HTTP 500 naming the token`, { status: 500 });
    }
    return body;
  }

  function normalizeTask(body: TaskBody, requestedHint?: number): QolabaTask {
    const status = body.status?.toUpperCase();
    const urls = (body.output?.result ?? []).filter(isUrl);
    const flags = (body.output?.Has_NSFW_Content ?? []).map((flag) => flag === true || flag === "true");
    const requested = body.input?.batch ?? (flags.length > 0 ? flags.length : requestedHint);
    const nsfwDropped =
      flags.length > 0 ? flags.filter(Boolean).length : requested !== undefined ? Math.max(0, requested - urls.length) : 0;
    const task: QolabaTask = { status: "pending", urls: [], slots: [], nsfwDropped: 0 };
    if (requested !== undefined) task.requested = requested;
    if (status === "FAILED") {
      task.status = "failed";
      const message = sanitizeProviderMessage(failureText(body), secrets);
      if (message) task.errorMessage = message;
      return task;
    }
    if (status !== "SUCCESS") return task;
    task.nsfwDropped = nsfwDropped;
    if (urls.length === 0) {
      if (nsfwDropped > 0) {
        throw new ProviderError("qolaba", "content_refused", `task finished with all ${plural(nsfwDropped, "image")} dropped as NSFW`);
      }
      task.status = "failed";
      task.errorMessage = "The task finished without images.";
      return task;
    }
    task.status = "success";
    task.urls = urls;
    task.slots = slotsOf(body.output?.result ?? [], urls, flags, requested);
    return task;
  }

  function errorFor(response: HttpResponse, operation: string, sentFields: readonly string[]): ProviderError {
    const body = parseBody(response);
    if (response.status === 422) {
      const validation = firstValidationError(body?.error_data);
      const clean = sanitizeProviderMessage(validation.message, secrets);
      const field = validation.field;
      const message = field ? `${field} ${clean ?? "was rejected"}` : (clean ?? "The request was rejected");
      // Only a field name Atelier itself sent is repeated to people; the provider's wording stays in the logs.
      const known = field !== undefined && sentFields.includes(field.split(".")[0] ?? "") ? field : undefined;
      return new ProviderError("qolaba", "invalid_input", `Qolaba ${operation}: HTTP 422 (${message})`, {
        status: 422,
        ...(field ? { field } : {}),
        userMessage: known
          ? `Qolaba rejected the request: it did not accept ${known} (HTTP 422). Check the settings and try again.`
          : "Qolaba rejected the request (HTTP 422). Check the settings and try again.",
      });
    }
    const info: Parameters<typeof providerErrorFromResponse>[0] = {
      provider: "qolaba",
      status: response.status,
      secrets,
      operation,
    };
    const text = body ? failureText(body) : undefined;
    if (text !== undefined) info.providerMessage = text;
    if (response.retryAfterMs !== undefined) info.retryAfterMs = response.retryAfterMs;
    return providerErrorFromResponse(info);
  }

  function scoped(opts: RequestOptions | undefined): { signal?: AbortSignal; context: LogContext } {
    const signal = combineSignals(options.signal, opts?.signal);
    const context = { ...options.context, ...opts?.context };
    return signal ? { signal, context } : { context };
  }

  async function post(path: string, body: Record<string, unknown>, idempotent: boolean, timeoutMs: number, opts?: RequestOptions) {
    const { signal, context } = scoped(opts);
    const request: Parameters<typeof sendRequest>[0] = {
      provider: "qolaba",
      method: "POST",
      url: `${baseUrl}${path}`,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      idempotent,
      timeoutMs,
      breaker,
      operation: `POST ${path}`,
      context,
      // A 500 carrying a FAILED task body is an answer (the task failed), not an outage.
      isRetryable: (response) => response.status === 429 || (response.status >= 500 && !isFailedBody(response)),
    };
    if (signal) request.signal = signal;
    if (options.timeouts?.budgetMs !== undefined) request.retry = { budgetMs: options.timeouts.budgetMs };
    return sendRequest(request, deps);
  }

  async function submit(path: string, wire: Record<string, unknown>, queued: boolean, batch: number | undefined, opts?: RequestOptions) {
    const operation = `POST ${path}`;
    const response = await post(path, wire, false, queued ? jsonMs : syncMs, opts);
    logger.debug("qolaba: create answered", { ...scoped(opts).context, status: response.status, rawStatus: rawStatusLabel(parseBody(response)?.status) });
    const unknown = (why: string) =>
      new ProviderError("qolaba", "unknown_outcome", `${operation}: HTTP ${response.status} ${why}; cannot be reconciled`, {
        status: response.status,
        sentAt: response.sentAt,
      });
    if (response.status === 502 || response.status === 504) throw unknown("from a gateway");
    if (isFailedBody(response)) {
      const body = failedBody(response, operation); // a 500 naming the token: invalid_key, nothing was queued
      // Waiting for the images (queued: false), a FAILED task is that task's outcome. Queued, a 500 may have come
      // after the task was queued (and billed): unknown.
      if (queued) throw unknown("with a FAILED body");
      return { taskId: body.task_id ?? null, task: normalizeTask(body, batch), sentAt: response.sentAt };
    }
    // Any other 5xx may have come after the task was queued.
    if (response.status >= 500) throw unknown("from the server");
    if (response.status < 200 || response.status >= 300) throw errorFor(response, operation, Object.keys(wire));
    const body = parseBody(response);
    const taskId = body?.task_id ?? null;
    if (!body || (queued && taskId === null && body.status?.toUpperCase() !== "SUCCESS")) {
      throw new ProviderError("qolaba", "unknown_outcome", `${operation}: HTTP ${response.status} without a task id; cannot be reconciled`, {
        status: response.status,
        sentAt: response.sentAt,
      });
    }
    return { taskId, task: normalizeTask(body, batch), sentAt: response.sentAt };
  }

  function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    throw invalidInputError(
      "qolaba",
      parsed.error.issues.map((issue) => {
        const field = issue.path.map(String).join(".");
        return { field, message: `${field} ${issue.message}` };
      }),
    );
  }

  function commonWire(input: {
    negativePrompt?: string | undefined;
    guidanceScale?: number | undefined;
    batch?: number | undefined;
    steps?: number | undefined;
    gpu?: string | undefined;
    queued: boolean;
  }): Record<string, unknown> {
    const wire: Record<string, unknown> = {};
    if (input.negativePrompt !== undefined) wire.negative_prompt = input.negativePrompt;
    if (input.guidanceScale !== undefined) wire.guidance_scale = input.guidanceScale;
    if (input.batch !== undefined) wire.batch = input.batch;
    if (input.steps !== undefined) wire.num_inference_steps = input.steps;
    if (input.gpu !== undefined) wire.inference_type = input.gpu;
    wire.celery = input.queued;
    return wire;
  }

  return {
    async imageToImage(input, opts = {}) {
      const value = parse(imageToImageInputSchema, input);
      const wire: Record<string, unknown> = { app_id: qolabaControlNetApps[value.kind], image: value.image };
      if (value.prompt !== undefined) wire.prompt = value.prompt;
      if (value.strength !== undefined) wire.strength = value.strength;
      Object.assign(wire, commonWire(value));
      return submit("/getImagetoImage", wire, value.queued, value.batch, opts);
    },

    async textToImage(input, opts = {}) {
      const value = parse(textToImageInputSchema, input);
      const wire: Record<string, unknown> = { app_id: value.appId, prompt: value.prompt };
      if (value.width !== undefined) wire.width = value.width;
      if (value.height !== undefined) wire.height = value.height;
      Object.assign(wire, commonWire(value));
      return submit("/getTextToImage", wire, value.queued, value.batch, opts);
    },

    async getTask(taskId, opts = {}) {
      if (typeof taskId !== "string" || taskId.trim() === "") {
        throw invalidInputError("qolaba", [{ field: "taskId", message: "taskId is required" }]);
      }
      const response = await post("/getImage", { id: taskId }, true, jsonMs, opts);
      logger.debug("qolaba: task status", { ...scoped(opts).context, status: response.status, rawStatus: rawStatusLabel(parseBody(response)?.status) });
      if (isFailedBody(response)) return normalizeTask(failedBody(response, "POST /getImage"));
      if (response.status < 200 || response.status >= 300) throw errorFor(response, "POST /getImage", ["id"]);
      const body = parseBody(response);
      if (!body) throw new ProviderError("qolaba", "unavailable", `POST /getImage: HTTP ${response.status} with an unexpected body`);
      return normalizeTask(body);
    },
  };
}
