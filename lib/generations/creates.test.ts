import { createsSeen, httpSandbox, overHttp, QOLABA_CREATE, RENDERNET_CREATE } from "@/lib/generations/http-sandbox-support";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { makeUser, viewerFor } from "@/test/factories";
import { makePng } from "@/sandbox/test-support";
import { GENERATION_QUEUE } from "@/lib/generations/constants";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import type { QueueDefinition } from "@/lib/jobs/queue";
import { createAnswer, generationQueue, generationTimings, QOLABA_UNKNOWN_OUTCOME, type GenerationJobPayload } from "@/lib/generations/worker";
import { ProviderError } from "@/lib/providers/http/errors";
import { createAsset } from "@/lib/generations/assets";
import { estimateGeneration } from "@/lib/generations/estimate";
import { submitGeneration } from "@/lib/generations/submit";
import { sandboxApiKey } from "@/lib/connections/sandbox";
import { setConnectionOverridesForTests } from "@/lib/connections/testing";
import type { Viewer } from "@/lib/authz";
import type { GenerationRequest } from "@/lib/validation/generations";

/**
 * The generation pipeline against the sandbox over real HTTP (lib/generations/http-sandbox-support.ts):
 * - a create is never sent twice: for every answer that may hide a create that was carried out, the provider sees
 *   exactly one create; RenderNet's run is settled from its feed, Qolaba's ends FAILED saying it may have been charged;
 * - the job's signal reaches every provider call and download: a job that loses its lease, or whose worker stops,
 *   stops its network work within a second and records nothing;
 * - at LOG_LEVEL=debug every provider call is one log line with the run's id, and no key is ever logged.
 */

// lib/env.ts reads LOG_LEVEL on first use, which comes after this line.
process.env.LOG_LEVEL = "debug";

generationTimings.pollDelayMs = () => 150;
generationTimings.reconcileEveryMs = 200;
generationTimings.reconcileWindowMs = 1500;
generationTimings.submitRetryMs = () => 200;

// Every log line of the file, kept to check what is (and is never) logged; warnings still reach stderr.
const logged: Record<string, unknown>[] = [];
const logText: string[] = [];
const originalLog = console.log;
const originalError = console.error;
function capture(text: unknown, isError: boolean) {
  const line = String(text);
  try {
    logged.push(JSON.parse(line) as Record<string, unknown>);
    logText.push(line);
  } catch {
    (isError ? originalError : originalLog)(text);
    return;
  }
  if (isError) originalError(line);
}

// The real handler, timed: when the job's signal aborted and when the handler gave the job back.
type Run = { generationId: string; started: number; abortedAt?: number; settledAt?: number; outcome?: "result" | "threw" };
const runs: Run[] = [];
const timedQueue: QueueDefinition<GenerationJobPayload> = {
  ...generationQueue,
  async handle(payload, context) {
    const run: Run = { generationId: payload.generationId, started: Date.now() };
    runs.push(run);
    context.signal.addEventListener("abort", () => (run.abortedAt = Date.now()), { once: true });
    try {
      const result = await generationQueue.handle(payload, context);
      run.outcome = "result";
      return result;
    } catch (error) {
      run.outcome = "threw";
      throw error;
    } finally {
      run.settledAt = Date.now();
    }
  },
};

let worker: WorkerHandle;
const start = () =>
  startWorker({ queues: { [GENERATION_QUEUE]: timedQueue } as Record<string, QueueDefinition<never>>, concurrency: 4, pollMs: 50, leaseMs: 3000, stopTimeoutMs: 10_000 });

beforeAll(() => {
  console.log = (text: unknown) => capture(text, false);
  console.error = (text: unknown) => capture(text, true);
  worker = start();
});
afterAll(async () => {
  await worker.stop();
  console.log = originalLog;
  console.error = originalError;
  await httpSandbox.close();
});
beforeEach(() => overHttp());
afterEach(() => setConnectionOverridesForTests(undefined));

async function newViewer(): Promise<Viewer> {
  const user = await makeUser();
  return viewerFor(user.id, user.personal.id);
}

async function waitFinal(generationId: string, timeoutMs = 20_000) {
  const read = () => db.generation.findUniqueOrThrow({ where: { id: generationId }, include: { media: { orderBy: { position: "asc" } } } });
  let row = await read();
  await expect
    .poll(async () => (row = await read()).status, { timeout: timeoutMs, interval: 100, message: `generation ${generationId} to end` })
    .toBeOneOf(["SUCCEEDED", "FAILED", "REFUSED"]);
  return row;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  let value: T | undefined | false;
  await expect.poll(async () => (value = await probe()), { timeout: timeoutMs, interval: 50, message: `waiting for ${what}` }).toBeTruthy();
  return value as T;
}

const imageRun = (prompt: string): GenerationRequest => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt,
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize: 1,
    seed: 11,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

async function controlNetRun(viewer: Viewer, prompt: string): Promise<GenerationRequest> {
  const png = await makePng(320, 240);
  const asset = await createAsset(viewer, new File([new Uint8Array(png)], "ref.png", { type: "image/png" }));
  return {
    tool: "CONTROLNET",
    params: { kind: "canny", image: { kind: "asset", id: asset.id }, prompt, negativePrompt: "", guidance: 7, batch: 1, strength: 0.8, steps: 20, gpu: "a10g" },
  };
}

const submit = (viewer: Viewer, run: GenerationRequest) => submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run });
const balanceOf = async (viewer: Viewer) => (await estimateGeneration(viewer, imageRun(`balance ${randomUUID()}`))).balance;

/** Takes the job's lease away from the worker, as if another worker had claimed it after a stall. */
const stealLease = (generationId: string) =>
  db.$executeRaw`UPDATE "Job" SET "lockedBy" = 'thief', "lockedUntil" = now() + interval '1 hour' WHERE "key" = ${`generation:${generationId}`}`;
/** The thief gives up: the job is due again for any worker. */
const releaseLease = (generationId: string) =>
  db.$executeRaw`UPDATE "Job" SET "lockedBy" = NULL, "lockedUntil" = NULL, "runAt" = now() WHERE "key" = ${`generation:${generationId}`}`;

// What the create's answer was, when the create itself was carried out (and charged) by the provider.
const carriedOut = [
  { answer: "500", rule: { fault: "server_error", status: 500, performed: true } },
  { answer: "502", rule: { fault: "server_error", status: 502, performed: true } },
  { answer: "503", rule: { fault: "server_error", status: 503, performed: true } },
  { answer: "504", rule: { fault: "server_error", status: 504, performed: true } },
  { answer: "a reset connection", rule: { fault: "lost_response" } },
  { answer: "a timeout after the body was sent", rule: { fault: "hang", performed: true }, timeoutMs: 700 },
  { answer: "a malformed 2xx", rule: { fault: "malformed", performed: true } },
  { answer: "a 2xx cut off mid-body", rule: { fault: "cut_off" } },
] as const;

describe("what a failed create proves", () => {
  it("only an answer that certainly did nothing is sent again; a refusal ends the run; anything else is unknown", () => {
    const cases: [ProviderError | Error, ReturnType<typeof createAnswer>][] = [
      [new ProviderError("rendernet", "rate_limited", "429", { status: 429, retryAfterMs: 1000 }), "resend"],
      [new ProviderError("rendernet", "unavailable", "could not connect; request not sent", { network: "connect" }), "resend"],
      [new ProviderError("qolaba", "unavailable", "circuit breaker is open; request not sent"), "resend"],
      [new ProviderError("rendernet", "timeout", "408", { status: 408 }), "resend"],
      [new ProviderError("rendernet", "unavailable", "503", { status: 503 }), "unknown"],
      [new ProviderError("qolaba", "timeout", "504", { status: 504 }), "unknown"],
      [new ProviderError("rendernet", "unknown_outcome", "lost", { sentAt: 1 }), "unknown"],
      [new TypeError("fetch failed"), "unknown"],
      [new ProviderError("rendernet", "invalid_input", "400", { status: 400 }), "refused"],
      [new ProviderError("rendernet", "out_of_credits", "402", { status: 402 }), "refused"],
      [new ProviderError("rendernet", "content_refused", "400", { status: 400 }), "refused"],
      [new ProviderError("qolaba", "invalid_key", "HTTP 500 naming the token", { status: 500 }), "refused"],
      [new ProviderError("qolaba", "blocked", "refused by the outbound check", { refusal: "private_address" }), "refused"],
    ];
    for (const [error, answer] of cases) expect([error.message, createAnswer(error)]).toEqual([error.message, answer]);
  });
});

describe("a RenderNet create is never sent twice", () => {
  it.each(carriedOut)("$answer: one create, settled from the feed, charged once", async ({ rule, ...test }) => {
    const viewer = await newViewer();
    if ("timeoutMs" in test) overHttp({ rendernet: { timeouts: { jsonMs: test.timeoutMs } } });
    await httpSandbox.faults(viewer.workspaceId, [{ method: "POST", path: RENDERNET_CREATE, ...rule }]);
    const result = await submit(viewer, imageRun(`kept ${rule.fault}`));
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.media.map((m) => m.status)).toEqual(["READY"]);
    const creates = await createsSeen(viewer.workspaceId, RENDERNET_CREATE);
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ fault: rule.fault, generation_ids: [done.providerGenerationId] });
    expect(await balanceOf(viewer)).toBe(500 - 2);
  });

  it.each([
    { answer: "500", rule: { fault: "server_error", status: 500 } },
    { answer: "503", rule: { fault: "server_error", status: 503 } },
    { answer: "a timeout", rule: { fault: "hang" } },
  ])("$answer before anything was made: one create, then FAILED saying nothing was charged", async ({ rule }) => {
    const viewer = await newViewer();
    overHttp({ rendernet: { timeouts: { jsonMs: 700 } } });
    await httpSandbox.faults(viewer.workspaceId, [{ method: "POST", path: RENDERNET_CREATE, ...rule }]);
    const result = await submit(viewer, imageRun("nothing made"));
    const done = await waitFinal(result.generationId);
    expect(done).toMatchObject({ status: "FAILED", errorCause: "not_received", providerGenerationId: null });
    expect(done.errorMessage).toBe("The provider did not receive this run; nothing was charged. Retry it.");
    expect(await createsSeen(viewer.workspaceId, RENDERNET_CREATE)).toHaveLength(1);
    expect(await balanceOf(viewer)).toBe(500);
  });

  it("429 with Retry-After: sent again after the wait; two creates seen, one carried out", async () => {
    const viewer = await newViewer();
    await httpSandbox.faults(viewer.workspaceId, [{ method: "POST", path: RENDERNET_CREATE, fault: "rate_limit", retryAfter: 1 }]);
    const result = await submit(viewer, imageRun("limited"));
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    const creates = await createsSeen(viewer.workspaceId, RENDERNET_CREATE);
    expect(creates.map((c) => [c.fault ?? "ok", c.generation_ids?.length ?? 0])).toEqual([
      ["rate_limit", 0],
      ["ok", 1],
    ]);
    expect(creates[1]!.time - creates[0]!.time).toBeGreaterThanOrEqual(1000);
    expect(await balanceOf(viewer)).toBe(500 - 2);
  });

  it("a 429 asking to wait longer than 10 minutes ends the run as rate limited instead of waiting", async () => {
    const viewer = await newViewer();
    await httpSandbox.faults(viewer.workspaceId, [{ method: "POST", path: RENDERNET_CREATE, fault: "rate_limit", retryAfter: 1e12 }]);
    const result = await submit(viewer, imageRun("wait forever"));
    const done = await waitFinal(result.generationId);
    expect(done).toMatchObject({ status: "FAILED", errorCause: "rate_limited", providerGenerationId: null });
    expect(await createsSeen(viewer.workspaceId, RENDERNET_CREATE)).toHaveLength(1);
  });

  it("a 4xx refusal (out of credits) ends the run at once and is not sent again", async () => {
    const viewer = await newViewer();
    await worker.stop();
    const result = await submit(viewer, imageRun("no credits left"));
    await httpSandbox.credits(viewer.workspaceId, 0);
    worker = start();
    const done = await waitFinal(result.generationId);
    expect(done).toMatchObject({ status: "FAILED", errorCause: "out_of_credits" });
    // A fixed wait on purpose: it proves that no second create follows, which no poll can show.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await createsSeen(viewer.workspaceId, RENDERNET_CREATE)).toHaveLength(1);
  });
});

describe("a Qolaba create is never sent twice", () => {
  it.each(carriedOut)("$answer: one create, FAILED saying it may have been charged", async ({ rule, ...test }) => {
    const viewer = await newViewer();
    if ("timeoutMs" in test) overHttp({ qolaba: { timeouts: { jsonMs: test.timeoutMs } } });
    const run = await controlNetRun(viewer, `kept ${rule.fault}`);
    await httpSandbox.faults(viewer.workspaceId, [{ method: "POST", path: QOLABA_CREATE, ...rule }]);
    const result = await submit(viewer, run);
    const done = await waitFinal(result.generationId);
    expect(done).toMatchObject({ status: "FAILED", errorCause: "unknown_outcome", errorMessage: QOLABA_UNKNOWN_OUTCOME });
    const creates = await createsSeen(viewer.workspaceId, QOLABA_CREATE);
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ fault: rule.fault, task_id: expect.any(String) });
  });

  it("429 with Retry-After: sent again after the wait; two creates seen, one carried out", async () => {
    const viewer = await newViewer();
    const run = await controlNetRun(viewer, "limited");
    await httpSandbox.faults(viewer.workspaceId, [{ method: "POST", path: QOLABA_CREATE, fault: "rate_limit", retryAfter: 1 }]);
    const result = await submit(viewer, run);
    expect((await waitFinal(result.generationId)).status).toBe("SUCCEEDED");
    const creates = await createsSeen(viewer.workspaceId, QOLABA_CREATE);
    expect(creates.map((c) => [c.fault ?? "ok", Boolean(c.task_id)])).toEqual([
      ["rate_limit", false],
      ["ok", true],
    ]);
    expect(creates[1]!.time - creates[0]!.time).toBeGreaterThanOrEqual(1000);
  });
});

describe("the job's signal reaches every provider call and download", () => {
  const settledRun = (generationId: string) => waitFor("the aborted run to settle", async () => runs.find((r) => r.generationId === generationId && r.abortedAt && r.settledAt));

  it("a lease lost mid-poll stops the job within a second; nothing is recorded and the next owner finishes", async () => {
    const viewer = await newViewer();
    await httpSandbox.faults(viewer.workspaceId, [{ method: "GET", path: `${RENDERNET_CREATE}/*`, fault: "latency", latencyMs: 20_000 }]);
    const result = await submit(viewer, imageRun("slow poll"));
    await waitFor("the slow poll", async () => (await httpSandbox.calls(viewer.workspaceId, "")).length > 0 && (await httpSandbox.pendingFaults(viewer.workspaceId)).length === 0);
    await stealLease(result.generationId);
    const run = await settledRun(result.generationId);
    expect(run.settledAt! - run.abortedAt!).toBeLessThan(1000);
    expect(run.outcome).toBe("threw");
    const row = await db.generation.findUniqueOrThrow({ where: { id: result.generationId }, include: { media: true } });
    expect(row.status).toBe("RUNNING");
    expect(row.media.map((m) => m.status)).toEqual(["PENDING"]);
    expect(await db.job.findFirst({ where: { key: `generation:${result.generationId}` }, select: { lockedBy: true } })).toEqual({ lockedBy: "thief" });
    await releaseLease(result.generationId);
    expect((await waitFinal(result.generationId)).status).toBe("SUCCEEDED");
  });

  it("a lease lost mid-download stops the download within a second; the next owner ingests the result", async () => {
    const viewer = await newViewer();
    await httpSandbox.faults(viewer.workspaceId, [{ method: "GET", path: "/rendernet/files/*", fault: "latency", latencyMs: 20_000 }]);
    const result = await submit(viewer, imageRun("slow file"));
    // The rule is used up once the download has started waiting on it.
    await waitFor("the slow download", async () => (await httpSandbox.pendingFaults(viewer.workspaceId)).length === 0);
    await stealLease(result.generationId);
    const run = await settledRun(result.generationId);
    expect(run.settledAt! - run.abortedAt!).toBeLessThan(1000);
    const row = await db.generation.findUniqueOrThrow({ where: { id: result.generationId }, include: { media: true } });
    expect(row.status).toBe("RUNNING");
    expect(row.media.map((m) => m.status)).toEqual(["PENDING"]);
    await releaseLease(result.generationId);
    expect((await waitFinal(result.generationId)).media.map((m) => m.status)).toEqual(["READY"]);
  });

  it("an aborted create is reconciled by the next owner, never sent again", async () => {
    const viewer = await newViewer();
    await httpSandbox.faults(viewer.workspaceId, [{ method: "POST", path: RENDERNET_CREATE, fault: "hang", performed: true }]);
    const result = await submit(viewer, imageRun("aborted create"));
    await waitFor("the create in flight", async () => (await createsSeen(viewer.workspaceId, RENDERNET_CREATE)).length === 1);
    await stealLease(result.generationId);
    const run = await settledRun(result.generationId);
    expect(run.settledAt! - run.abortedAt!).toBeLessThan(1000);
    expect((await db.generation.findUniqueOrThrow({ where: { id: result.generationId } })).status).toBe("SUBMITTING");
    await releaseLease(result.generationId);
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(await createsSeen(viewer.workspaceId, RENDERNET_CREATE)).toHaveLength(1);
  });

  it("stopping the worker aborts a provider call in flight and hands the job back at once", async () => {
    const viewer = await newViewer();
    await httpSandbox.faults(viewer.workspaceId, [{ method: "GET", path: `${RENDERNET_CREATE}/*`, fault: "latency", latencyMs: 20_000 }]);
    const result = await submit(viewer, imageRun("stopping"));
    await waitFor("the slow poll", async () => (await httpSandbox.pendingFaults(viewer.workspaceId)).length === 0);
    const stopping = Date.now();
    await worker.stop(); // waits up to stopTimeoutMs (10 s) for handlers: only the abort can make it quick
    expect(Date.now() - stopping).toBeLessThan(1500);
    const job = await db.job.findFirstOrThrow({ where: { key: `generation:${result.generationId}` } });
    expect(job.lockedBy).toBeNull();
    expect((await db.generation.findUniqueOrThrow({ where: { id: result.generationId } })).status).toBe("RUNNING");
    worker = start();
    expect((await waitFinal(result.generationId)).status).toBe("SUCCEEDED");
  });
});

describe("provider calls are observable at LOG_LEVEL=debug", () => {
  it("one line per call with the run's id, operation, status, duration, attempt and retry cause; raw statuses; never a key", async () => {
    const viewer = await newViewer();
    await httpSandbox.faults(viewer.workspaceId, [{ method: "GET", path: `${RENDERNET_CREATE}/*`, fault: "rate_limit", retryAfter: 0 }]);
    const result = await submit(viewer, imageRun("observed"));
    expect((await waitFinal(result.generationId)).status).toBe("SUCCEEDED");
    const mine = logged.filter((line) => line.generationId === result.generationId);
    const calls = mine.filter((line) => line.msg === "provider call");
    expect(calls).toContainEqual(
      expect.objectContaining({ level: "debug", provider: "rendernet", operation: "POST /pub/v1/generations", attempt: 1, status: 201, durationMs: expect.any(Number) }),
    );
    expect(calls).toContainEqual(
      expect.objectContaining({ operation: "GET /pub/v1/generations/{generation_id}", attempt: 1, status: 429, retry: "rate_limited", retryInMs: 0 }),
    );
    expect(calls).toContainEqual(expect.objectContaining({ operation: "GET /pub/v1/generations/{generation_id}", attempt: 2, status: 200 }));
    expect(mine).toContainEqual(expect.objectContaining({ msg: "rendernet: create answered", generations: [expect.objectContaining({ result: "initiated" })] }));
    const statuses = mine.filter((line) => line.msg === "rendernet: generation status").flatMap((line) => line.media as { rawStatus: string }[]);
    expect(statuses.map((media) => media.rawStatus)).toContain("success");

    const qolabaViewer = await newViewer();
    const qolaba = await submit(qolabaViewer, await controlNetRun(qolabaViewer, "observed too"));
    expect((await waitFinal(qolaba.generationId)).status).toBe("SUCCEEDED");
    const tasks = logged.filter((line) => line.generationId === qolaba.generationId && line.msg === "qolaba: task status");
    expect(tasks.map((line) => line.rawStatus)).toContain("SUCCESS");
    expect(logged).toContainEqual(expect.objectContaining({ generationId: qolaba.generationId, msg: "provider call", provider: "qolaba", operation: "POST /getImagetoImage", status: 200 }));

    // Keys, presigned upload URLs and bodies never reach the log.
    const everything = logText.join("\n");
    for (const key of [sandboxApiKey(viewer.workspaceId), sandboxApiKey(qolabaViewer.workspaceId)]) expect(everything).not.toContain(key);
    expect(everything).not.toMatch(/sbx_|\/uploads\/|X-API-KEY|Bearer/i);
    // And every call of this file went over HTTP: the app's in-process sandbox was never even created.
    expect((globalThis as { atelierSandbox?: unknown }).atelierSandbox).toBeUndefined();
  });
});
