/**
 * Test hooks (only with testHooks: true): per-key faults, a call log, credits and schedule. A key given as
 * X-API-KEY or Bearer addresses both of its provider accounts; a fault rule lands in the account its path names.
 */
import { z } from "zod";
import type { PublicFaults, RouteContext } from "./context";
import { badRequest, errorEnvelope, HttpError, json, readJsonBody } from "./http";
import { hashKey } from "./store";
import type { CallRecord, FaultRule, Provider } from "./types";

/** Keyless URLs (generated files, presigned uploads): their faults live in the handler, not in an account. */
export const PUBLIC_PATH = /^\/(rendernet|qolaba)\/(files|uploads)\//;
const PERFORMABLE = new Set(["server_error", "malformed", "hang"]);
const PUBLIC_FAULTS = new Set(["server_error", "hang", "latency"]);

const ruleSchema = z
  .object({
    method: z.string().optional(),
    path: z.string({ error: "rules[].path is required" }).regex(/^\/(rendernet|qolaba)\//, { error: "rules[].path must start with /rendernet/ or /qolaba/" }),
    fault: z.enum(["rate_limit", "server_error", "hang", "malformed", "lost_response", "cut_off", "latency"], {
      error: "rules[].fault must be one of: rate_limit, server_error, hang, malformed, lost_response, cut_off, latency",
    }),
    performed: z.boolean({ error: "rules[].performed must be a boolean" }).optional(),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)], { error: "rules[].status must be 500, 502, 503 or 504" }).optional(),
    retryAfter: z.number().min(0).optional(),
    latencyMs: z.number().min(0).optional(),
    times: z.number().int().min(1).optional(),
  })
  .refine((rule) => !rule.performed || PERFORMABLE.has(rule.fault), {
    error: "rules[].performed applies to server_error, malformed and hang (lost_response and cut_off are always performed)",
  })
  .refine((rule) => !PUBLIC_PATH.test(rule.path) || PUBLIC_FAULTS.has(rule.fault), {
    error: "files and upload URLs take only latency, hang and server_error",
  });
const faultsSchema = z.object({ rules: z.array(ruleSchema, { error: "rules must be an array" }).max(100, { error: "at most 100 rules" }) });
/** Keys with rules on keyless URLs, kept in memory: the oldest is dropped past this. */
const MAX_PUBLIC_OWNERS = 100;
const scheduleSchema = z.object({
  pendingAfterMs: z.number().min(0).optional(),
  finalAfterMs: z.number().min(0).optional(),
  videoFinalAfterMs: z.number().min(0).optional(),
  assetReadyAfterMs: z.number().min(0).optional(),
});

function hookKey(request: Request): string {
  const key = request.headers.get("x-api-key")?.trim() || /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim();
  if (!key) throw new HttpError(401, "test hooks need the key as X-API-KEY or Authorization: Bearer", "unauthorized");
  return key;
}

const providerOf = (path: string): Provider => (path.startsWith("/qolaba/") ? "qolaba" : "rendernet");
const publicOwner = (key: string) => hashKey("rendernet", key);

async function body<T>(ctx: RouteContext, schema: z.ZodType<T>): Promise<T> {
  const parsed = await readJsonBody(ctx.request);
  if (!parsed.ok) throw badRequest(parsed.message);
  const result = schema.safeParse(parsed.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw badRequest(issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid body");
  }
  return result.data;
}

export async function handleTestHook(ctx: RouteContext, hook: string): Promise<Response> {
  const method = ctx.request.method;
  const key = hookKey(ctx.request);
  const both: Provider[] = ["rendernet", "qolaba"];
  if (hook === "faults" && method === "POST") {
    const { rules } = await body(ctx, faultsSchema);
    const toStored = (rule: (typeof rules)[number]): FaultRule => ({ ...rule, method: rule.method?.toUpperCase(), times: rule.times ?? 1 });
    for (const provider of both) {
      await ctx.store.update(provider, hashKey(provider, key), (state) => {
        state.faults = rules.filter((rule) => providerOf(rule.path) === provider && !PUBLIC_PATH.test(rule.path)).map(toStored);
      });
    }
    const publicRules = rules.filter((rule) => PUBLIC_PATH.test(rule.path)).map(toStored);
    ctx.publicFaults.delete(publicOwner(key));
    if (publicRules.length > 0) ctx.publicFaults.set(publicOwner(key), publicRules);
    while (ctx.publicFaults.size > MAX_PUBLIC_OWNERS) ctx.publicFaults.delete(ctx.publicFaults.keys().next().value as string);
    return json({ data: { rules }, err: {} });
  }
  if (hook === "faults" && method === "DELETE") {
    for (const provider of both) await ctx.store.update(provider, hashKey(provider, key), (state) => void (state.faults = []));
    ctx.publicFaults.delete(publicOwner(key));
    return json({ data: { rules: [] }, err: {} });
  }
  if (hook === "faults" && method === "GET") {
    const rules: FaultRule[] = [];
    for (const provider of both) rules.push(...(await ctx.store.read(provider, hashKey(provider, key))).faults);
    rules.push(...(ctx.publicFaults.get(publicOwner(key)) ?? []));
    return json({ data: { rules }, err: {} });
  }
  if (hook === "calls" && (method === "GET" || method === "DELETE")) {
    const path = ctx.url.searchParams.get("path");
    const providers = path ? [providerOf(path)] : both;
    const calls: CallRecord[] = [];
    for (const provider of providers) {
      if (method === "DELETE") await ctx.store.update(provider, hashKey(provider, key), (state) => void (state.calls = []));
      else calls.push(...(await ctx.store.read(provider, hashKey(provider, key))).calls);
    }
    const filtered = calls.filter((call) => !path || call.path === path).sort((a, b) => a.time - b.time);
    return json({ data: filtered.map(({ id: _id, ...call }) => call), err: {} });
  }
  if (hook === "credits" && method === "POST") {
    const { balance } = await body(ctx, z.object({ balance: z.number({ error: "balance must be a number" }).min(0, { error: "balance must be at least 0" }) }));
    await ctx.store.update("rendernet", hashKey("rendernet", key), (state) => void (state.credits = balance));
    return json({ data: { balance }, err: {} });
  }
  if (hook === "schedule" && method === "POST") {
    const schedule = await body(ctx, scheduleSchema);
    for (const provider of both) {
      await ctx.store.update(provider, hashKey(provider, key), (state) => void (state.schedule = { ...(state.schedule ?? {}), ...schedule }));
    }
    return json({ data: { schedule: { ...ctx.schedule, ...schedule } }, err: {} });
  }
  if (["faults", "calls", "credits", "schedule"].includes(hook)) return errorEnvelope(405, `method ${method} not allowed here`, "method_not_allowed");
  return errorEnvelope(404, "unknown test hook", "not_found");
}

/** Takes (and counts down) the first public-path rule of any key matching this request. */
export function takePublicFault(faults: PublicFaults, method: string, path: string): FaultRule | undefined {
  for (const [owner, rules] of faults) {
    const index = rules.findIndex((rule) => faultMatches(rule, method, path));
    if (index < 0) continue;
    const rule = rules[index]!;
    rule.times -= 1;
    if (rule.times <= 0) rules.splice(index, 1);
    if (rules.length === 0) faults.delete(owner);
    return { ...rule };
  }
  return undefined;
}

export function faultMatches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  if (rule.path.endsWith("*")) return path.startsWith(rule.path.slice(0, -1));
  return rule.path === path;
}
