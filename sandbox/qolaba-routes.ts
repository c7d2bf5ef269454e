/** The Qolaba legacy API (qolaba.openapi.yaml), served under <base>/qolaba. Every answer is a TaskResponse. */
import sharp from "sharp";
import { z } from "zod";
import type { Caller, RouteContext } from "./context";
import { json, readJsonBody } from "./http";
import { effectiveSchedule, outcomeFromText, taskStatus } from "./lifecycle";
import { fileUrl, newFileToken } from "./media-files";
import type { QolabaApp } from "./render-image";
import { hash32 } from "./render-image";
import { randomId } from "./store";
import type { FileRef, StoredTask } from "./types";

export const QOLABA_APPS: Record<string, QolabaApp> = {
  "ap-1us0FK21Ach6eiWxo22is8": "canny",
  "ap-WrXnJBXy23XpPh6IlH5tRX": "depth",
  "ap-a1b2c3d4e5f6g7h8i9j0kq": "pose",
};

/** Queued results are kept about 4 hours; after that a task id reads PENDING forever. */
export const TASK_RETENTION_MS = 4 * 60 * 60 * 1000;

interface TaskBody {
  time_required: unknown;
  error: string | null;
  error_data: unknown;
  input: unknown;
  output: { result?: string[]; Has_NSFW_Content?: boolean[] } | null;
  app_id: string;
  task_id: string | null;
  status: "PENDING" | "SUCCESS" | "FAILED";
}

function taskBody(partial: Partial<TaskBody> & Pick<TaskBody, "status">): TaskBody {
  return { time_required: null, error: null, error_data: null, input: null, output: null, app_id: "", task_id: null, ...partial };
}

export function qolabaAuthFailure(): Response {
  return json(taskBody({ status: "FAILED", error: "HTTP Exception", error_data: "Invalid or missing token" }), 500);
}

export function qolabaFailure(status: number, error: string, errorData: unknown, headers: Record<string, string> = {}): Response {
  return json(taskBody({ status: "FAILED", error, error_data: errorData }), status, headers);
}

// ---------- validation ----------

type FieldError = { field: string; message: string; type: string };

const is = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "field required" : `value is not a valid ${what}`);
const number = (min: number, max: number) =>
  z.number({ error: is("number") }).min(min, { error: `ensure this value is between ${min} and ${max}` }).max(max, { error: `ensure this value is between ${min} and ${max}` });
const integer = (min: number, max: number) => number(min, max).int({ error: "value is not a valid integer" });
const common = {
  app_id: z.string({ error: is("string") }).min(1, { error: "app_id must not be empty" }),
  prompt: z.string({ error: is("string") }).optional(),
  negative_prompt: z.string({ error: is("string") }).optional(),
  guidance_scale: number(1, 30).optional(),
  batch: integer(1, 8).optional(),
  num_inference_steps: integer(1, 50).optional(),
  celery: z.boolean({ error: is("boolean") }).optional(),
  inference_type: z.enum(["a10g", "a100", "h100"], { error: "value is not one of: a10g, a100, h100" }).optional(),
};

const imageToImageSchema = z.object({
  ...common,
  image: z
    .string({ error: is("string") })
    .refine((value) => /^https?:\/\/[^\s/]+/i.test(value), { error: "invalid or missing URL scheme (http or https expected)" }),
  strength: z.number({ error: is("number") }).gt(0, { error: "ensure this value is greater than 0 and at most 1" }).max(1, { error: "ensure this value is greater than 0 and at most 1" }).optional(),
});

const textToImageSchema = z.object({
  ...common,
  prompt: z.string({ error: is("string") }),
  height: integer(256, 1536).optional(),
  width: integer(256, 1536).optional(),
});

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "body",
    message: issue.message,
    type: issue.message === "field required" ? "missing" : issue.code === "invalid_type" ? "type_error" : "value_error",
  }));
}

function validationFailure(input: unknown, errors: FieldError[]): Response {
  const appId = typeof input === "object" && input && typeof (input as { app_id?: unknown }).app_id === "string" ? (input as { app_id: string }).app_id : "";
  return json(taskBody({ status: "FAILED", error: "Validation error", error_data: { errors }, input, app_id: appId }), 422);
}

// ---------- fetching the reference image ----------

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

async function fetchReference(ctx: RouteContext, url: string): Promise<Buffer> {
  const own = `${ctx.base}/`;
  let response: Response;
  if (url.startsWith(own)) {
    response = await ctx.self(new Request(url));
  } else if (ctx.fetchExternalImages) {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: "follow" });
  } else {
    throw new Error("this sandbox only fetches images it hosts itself");
  }
  if (!response.ok) throw new Error(`image URL answered HTTP ${response.status}`);
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_IMAGE_BYTES) throw new Error("image is larger than 20 MB");
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_IMAGE_BYTES) {
        await reader.cancel();
        throw new Error("image is larger than 20 MB");
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

// ---------- task views ----------

function taskView(ctx: RouteContext, task: StoredTask, status: TaskBody["status"]): { body: TaskBody; httpStatus: number } {
  const base = { input: task.input, app_id: task.app_id, task_id: task.id };
  if (status === "PENDING") return { body: taskBody({ ...base, status, output: {} }), httpStatus: 200 };
  if (status === "FAILED") return { body: taskBody({ ...base, status, error: task.error ?? "Internal Error", error_data: task.error_data ?? null }), httpStatus: 500 };
  return {
    body: taskBody({
      ...base,
      status,
      time_required: { startup_time: 0.4, runtime: Math.round((2 + task.results.length * 1.5) * 100) / 100 },
      output: {
        result: task.results.filter((result) => !result.nsfw).map((result) => fileUrl(ctx.base, result.file)),
        Has_NSFW_Content: task.results.map((result) => result.nsfw),
      },
    }),
    httpStatus: 200,
  };
}

/**
 * The images a prompt's trigger words mark NSFW, by 0-based index: `[sandbox:nsfw]` marks the first one,
 * `[sandbox:nsfw:N]` the N-th (1-based; repeat the marker for several).
 */
export function nsfwSlots(prompt: string): Set<number> {
  const text = prompt.toLowerCase();
  const slots = new Set<number>();
  if (text.includes("[sandbox:nsfw]")) slots.add(0);
  for (const match of text.matchAll(/\[sandbox:nsfw:(\d{1,2})\]/g)) slots.add(Number(match[1]) - 1);
  return slots;
}

const round8 = (value: number) => Math.max(64, Math.floor(value / 8) * 8);
const round64 = (value: number) => Math.max(256, Math.floor(value / 64) * 64);

async function runTask(ctx: RouteContext, caller: Caller, kind: "img2img" | "txt2img"): Promise<Response> {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) return validationFailure(null, [{ field: "body", message: body.message, type: "value_error.jsondecode" }]);
  const input = body.value;
  const parsed = (kind === "img2img" ? imageToImageSchema : textToImageSchema).safeParse(input);
  if (!parsed.success) return validationFailure(input, fieldErrors(parsed.error));
  const request = parsed.data as z.infer<typeof imageToImageSchema> & z.infer<typeof textToImageSchema>;
  let app: QolabaApp = "txt2img";
  if (kind === "img2img") {
    const known = QOLABA_APPS[request.app_id];
    if (!known) {
      return validationFailure(input, [{ field: "app_id", message: `unknown app_id for /getImagetoImage: ${request.app_id}`, type: "value_error" }]);
    }
    app = known;
  }
  const prompt = request.prompt ?? "";
  const batch = request.batch ?? 1;
  const taskId = randomId("", 16);
  const task: StoredTask = { id: taskId, app_id: request.app_id, kind, celery: request.celery === true, createdAtMs: ctx.now(), input, outcome: "SUCCESS", results: [] };

  let reference: FileRef | undefined;
  let width = round64(request.width ?? 1024);
  let height = round64(request.height ?? 1024);
  if (kind === "img2img") {
    try {
      const bytes = await fetchReference(ctx, request.image);
      const image = sharp(bytes).resize(1536, 1536, { fit: "inside", withoutEnlargement: true });
      const { data, info } = await image.png().toBuffer({ resolveWithObject: true });
      reference = { provider: "qolaba", token: newFileToken(), ext: "png" };
      await ctx.files.saveBytes(reference, data);
      width = round8(info.width);
      height = round8(info.height);
    } catch (error) {
      task.outcome = "FAILED";
      task.error = "Internal Error";
      task.error_data = `could not load the reference image: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (task.outcome === "SUCCESS") {
    const verdict = outcomeFromText(prompt);
    if (verdict !== "success") {
      task.outcome = "FAILED";
      task.error = "Internal Error";
      task.error_data = verdict === "censored" ? "generation refused by the safety filter" : "generation failed (sandbox trigger word)";
    }
  }
  if (task.outcome === "SUCCESS") {
    const nsfw = nsfwSlots(prompt);
    const seed = hash32(`${taskId}`) % 1_000_000;
    for (let index = 0; index < batch; index++) {
      const file: FileRef = { provider: "qolaba", token: newFileToken(), ext: "png" };
      await ctx.files.saveRecipe(file, { kind: "qolaba", app, input: reference, width, height, prompt, seed, index });
      task.results.push({ file, nsfw: nsfw.has(index) });
    }
  }
  await ctx.store.update("qolaba", caller.keyHash, (state) => {
    state.tasks.push(task);
    const call = state.calls.find((record) => record.id === caller.callId);
    if (call) call.task_id = task.id;
  });
  const { body: response, httpStatus } = taskView(ctx, task, task.celery ? "PENDING" : task.outcome);
  return json(response, httpStatus);
}

async function getImage(ctx: RouteContext, caller: Caller): Promise<Response> {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) return validationFailure(null, [{ field: "body", message: body.message, type: "value_error.jsondecode" }]);
  const parsed = z.object({ id: z.string({ error: is("string") }).min(1, { error: "id must not be empty" }), refID: z.string({ error: is("string") }).optional() }).safeParse(body.value);
  if (!parsed.success) return validationFailure(body.value, fieldErrors(parsed.error));
  const state = await ctx.store.read("qolaba", caller.keyHash);
  const task = state.tasks.find((candidate) => candidate.id === parsed.data.id);
  const now = ctx.now();
  if (!task || now - task.createdAtMs > TASK_RETENTION_MS) {
    return json(taskBody({ status: "PENDING", task_id: parsed.data.id, output: {} }));
  }
  const { body: response, httpStatus } = taskView(ctx, task, taskStatus(task, now, effectiveSchedule(ctx.schedule, state)));
  return json(response, httpStatus);
}

type Handler = (ctx: RouteContext, caller: Caller, params: string[]) => Promise<Response>;

export const QOLABA_ROUTES: { pattern: RegExp; methods: Partial<Record<string, Handler>> }[] = [
  { pattern: /^\/getImagetoImage$/, methods: { POST: (ctx, caller) => runTask(ctx, caller, "img2img") } },
  { pattern: /^\/getTextToImage$/, methods: { POST: (ctx, caller) => runTask(ctx, caller, "txt2img") } },
  { pattern: /^\/getImage$/, methods: { POST: getImage } },
];
