import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { db } from "@/lib/db";
import { UNFINISHED_RUNS_SQL, type OperationalFigures } from "@/lib/data/operational-figures";
import { clientHeaderForTests } from "@/lib/http/testing";
import { enqueue, type QueueDefinition } from "@/lib/jobs/queue";
import { startWorker } from "@/lib/jobs/worker";
import { metrics } from "@/lib/metrics/registry.mjs";
import { authorizeScrape, resetScrapeCache, scrapeMetrics, tokenMatches } from "@/lib/monitoring/scrape";
import { createFakeFetch, jsonResponse, networkError } from "@/lib/providers/http/fake-fetch";
import { sendRequest } from "@/lib/providers/http/request";
import { makeTeam, makeUser } from "@/test/factories";

// GET /api/metrics: its access rules, its text, and that what Atelier does moves the figures.

const TOKEN = "metrics-token-for-tests-0123456789";

beforeAll(() => {
  // Read by env() on first use; nothing in this file has read it before.
  process.env.METRICS_TOKEN = TOKEN;
});
beforeEach(() => resetScrapeCache());

const headersFrom = (address: string, authorization?: string) =>
  new Headers({ "x-atelier-client": clientHeaderForTests(address), ...(authorization ? { authorization } : {}) });

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Parses Prometheus' text format strictly enough to fail on anything malformed. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    // Go's ParseFloat, which Prometheus uses, takes NaN in any case (prom-client writes "Nan").
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g)) labels[pair[1]!] = pair[2]!;
    const base = sample[1]!.replace(/_(bucket|sum|count)$/, "");
    if (!types.has(sample[1]!) && !types.has(base)) throw new Error(`sample without a TYPE: ${line}`);
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

async function scrape() {
  resetScrapeCache();
  return parseExposition((await scrapeMetrics()).body);
}

describe("who may scrape", () => {
  it("does not exist without a configured token, wants the Bearer token otherwise", async () => {
    expect(await authorizeScrape(headersFrom("192.0.2.10"), undefined)).toEqual({ ok: false, status: 404 });
    expect(await authorizeScrape(headersFrom("192.0.2.10", `Bearer ${TOKEN}`), TOKEN)).toEqual({ ok: true });
    expect(await authorizeScrape(headersFrom("192.0.2.10", `bearer ${TOKEN}`), TOKEN)).toEqual({ ok: true });
    expect(await authorizeScrape(headersFrom("192.0.2.10", `Bearer ${TOKEN}x`), TOKEN)).toEqual({ ok: false, status: 401 });
    expect(await authorizeScrape(headersFrom("192.0.2.10", TOKEN), TOKEN)).toEqual({ ok: false, status: 401 });
    expect(await authorizeScrape(headersFrom("192.0.2.10"), TOKEN)).toEqual({ ok: false, status: 401 });
    expect(tokenMatches("a", "a")).toBe(true);
    expect(tokenMatches("", "a")).toBe(false);
  });

  it("refuses an address that keeps guessing (429), while the right token still passes", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push((await authorizeScrape(headersFrom(address, "Bearer wrong"), TOKEN)).ok ? 200 : 0);
    const last = await authorizeScrape(headersFrom(address, "Bearer wrong"), TOKEN);
    expect(last).toMatchObject({ ok: false, status: 429 });
    expect((last as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(await authorizeScrape(headersFrom(address, `Bearer ${TOKEN}`), TOKEN)).toEqual({ ok: true });
  });

  it("the route answers 401 with a challenge, and 200 with Prometheus text for the token", async () => {
    const refused = await GET(new Request("http://localhost/api/metrics", { headers: headersFrom("192.0.2.20") }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await refused.text()).not.toContain("atelier_");

    const answer = await GET(new Request("http://localhost/api/metrics", { headers: headersFrom("192.0.2.20", `Bearer ${TOKEN}`) }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types } = parseExposition(await answer.text());
    for (const [name, type] of [
      ["atelier_http_request_duration_seconds", "histogram"],
      ["atelier_job_duration_seconds", "histogram"],
      ["atelier_provider_calls_total", "counter"],
      ["atelier_jobs", "gauge"],
      ["atelier_dead_jobs", "gauge"],
      ["atelier_runs", "gauge"],
      ["atelier_stored_bytes", "gauge"],
      ["process_cpu_seconds_total", "counter"],
    ] as const) {
      expect(types.get(name), name).toBe(type);
    }
  });
});

describe("what the figures follow", () => {
  it("provider calls, by provider, outcome and cause", async () => {
    const before = (await scrape()).samples;
    const fake = createFakeFetch([
      () => jsonResponse(200, { ok: true }),
      () => jsonResponse(503, { error: "busy" }),
      () => Promise.reject(networkError("ECONNRESET")),
    ]);
    const deps = { fetch: fake.fetch, sleep: async () => undefined, random: () => 0, now: Date.now };
    const call = { provider: "rendernet" as const, method: "POST" as const, url: "https://api.example.test/pub/v1/generate", idempotent: false, timeoutMs: 1000, operation: "POST /pub/v1/generate" };
    await sendRequest(call, deps);
    await sendRequest(call, deps);
    await expect(sendRequest(call, deps)).rejects.toMatchObject({ cause: "unknown_outcome" });
    const after = (await scrape()).samples;
    const moved = (labels: Record<string, string>) =>
      (value(after, "atelier_provider_calls_total", labels) ?? 0) - (value(before, "atelier_provider_calls_total", labels) ?? 0);
    expect(moved({ provider: "rendernet", outcome: "ok", cause: "none" })).toBe(1);
    expect(moved({ provider: "rendernet", outcome: "http_error", cause: "unavailable" })).toBe(1);
    expect(moved({ provider: "rendernet", outcome: "failed", cause: "unknown_outcome" })).toBe(1);
    expect(moved({ provider: "qolaba", outcome: "ok", cause: "none" })).toBe(0);
  });

  it("jobs: durations per queue and outcome, queue depth and dead jobs from the database", async () => {
    const queue = `test.metrics.${randomUUID().slice(0, 8)}`;
    const handled: string[] = [];
    const definition: QueueDefinition<{ fail?: boolean }> = {
      async handle({ fail }) {
        handled.push(fail ? "fail" : "ok");
        if (fail) throw new Error("meant to fail");
        return { done: true };
      },
    };
    await enqueue(db, { queue, key: `${queue}:later`, payload: {}, runAt: new Date(Date.now() + 3_600_000) });
    await enqueue(db, { queue, key: `${queue}:ok`, payload: {} });
    await enqueue(db, { queue, key: `${queue}:dead`, payload: { fail: true }, maxAttempts: 1 });
    const worker = startWorker({ queues: { [queue]: definition as QueueDefinition<never> }, pollMs: 20, listen: false });
    const end = Date.now() + 10_000;
    while (handled.length < 2 || (await db.deadJob.count({ where: { queue } })) < 1) {
      if (Date.now() > end) throw new Error("jobs did not run");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await worker.stop();

    const durations = metrics().jobDuration;
    const count = async (outcome: string) =>
      (await durations.get()).values.find((v) => v.metricName === "atelier_job_duration_seconds_count" && v.labels.queue === queue && v.labels.outcome === outcome)?.value;
    expect(await count("done")).toBe(1);
    expect(await count("dead")).toBe(1);

    const { samples } = await scrape();
    expect(value(samples, "atelier_jobs", { queue, state: "scheduled" })).toBe(1);
    expect(value(samples, "atelier_jobs", { queue, state: "due" })).toBe(0);
    expect(value(samples, "atelier_dead_jobs", { queue })).toBe(1);
    expect(value(samples, "atelier_job_duration_seconds_count", { queue, outcome: "done" })).toBe(1);
    expect(value(samples, "atelier_metrics_database_read_ok", {})).toBe(1);
  });

  it("runs by state and bytes stored, from the database", async () => {
    const user = await makeUser();
    const team = await makeTeam(user.id);
    const generation = await db.generation.create({
      data: { workspaceId: team.id, createdById: user.id, tool: "IMAGE", provider: "RENDERNET", status: "QUEUED", idempotencyKey: randomUUID(), params: {} },
      select: { id: true },
    });
    await db.media.create({
      data: { workspaceId: team.id, generationId: generation.id, position: 0, kind: "IMAGE", status: "READY", tool: "IMAGE", storageKey: `ws/${team.id}/x.png`, bytes: 123_456 },
    });
    const { samples } = await scrape();
    expect(value(samples, "atelier_runs", { state: "QUEUED" })).toBeGreaterThanOrEqual(1);
    // Every unfinished state is there, 0 or not; finished ones are not gauges.
    for (const state of ["PREPARING", "SUBMITTING", "RECONCILING", "RUNNING", "CANCELLING"]) expect(value(samples, "atelier_runs", { state })).toBeGreaterThanOrEqual(0);
    expect(value(samples, "atelier_runs", { state: "SUCCEEDED" })).toBeUndefined();
    expect(value(samples, "atelier_stored_bytes", { kind: "media" })).toBeGreaterThanOrEqual(123_456);
    expect(value(samples, "atelier_stored_bytes", { kind: "assets" })).toBeGreaterThanOrEqual(0);
  });

  it("counts unfinished runs on their partial index", async () => {
    const plan = await db.$transaction(async (tx) => {
      // Without this a tiny test table is read whole; the point is that the index's predicate matches the query's.
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${UNFINISHED_RUNS_SQL}`);
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("Generation_unfinished_status_idx");
  });

  describe("how often the database is read", () => {
    afterEach(() => vi.useRealTimers());
    it("figures at most every 10 s, bytes stored at most every 5 minutes", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const asked: boolean[] = [];
      const read = async ({ bytes }: { bytes: boolean }): Promise<OperationalFigures> => {
        asked.push(bytes);
        return { jobs: [], deadJobs: [], runs: [], storedBytes: bytes ? { media: 7, assets: 3 } : null };
      };
      resetScrapeCache();
      await scrapeMetrics(read);
      await scrapeMetrics(read);
      vi.setSystemTime(Date.now() + 11_000);
      const later = parseExposition((await scrapeMetrics(read)).body).samples;
      vi.setSystemTime(Date.now() + 300_000);
      await scrapeMetrics(read);
      expect(asked).toEqual([true, false, true]);
      // Between byte reads the last figures are still served.
      expect(value(later, "atelier_stored_bytes", { kind: "media" })).toBe(7);
    });
  });

  it("drops the database gauges, rather than serving stale ones, when they cannot be read", async () => {
    resetScrapeCache();
    const { body } = await scrapeMetrics(() => Promise.reject(new Error("statement timeout")));
    const { samples } = parseExposition(body);
    expect(value(samples, "atelier_metrics_database_read_ok", {})).toBe(0);
    expect(samples.filter((s) => s.name === "atelier_runs" || s.name === "atelier_stored_bytes")).toEqual([]);
  });
});
