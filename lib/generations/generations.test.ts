import { sandboxHooks, CREATE_PATH, createCalls, removeTestFolders } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { makeUser, viewerFor } from "@/test/factories";
import { makeMp4, makePng } from "@/sandbox/test-support";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { generationQueues, generationTimings } from "@/lib/generations/worker";
import { createAsset } from "@/lib/generations/assets";
import { listRecentGenerations, getGenerationParams } from "@/lib/data/generations";
import { listRecentMedia } from "@/lib/data/media";
import { submitGeneration, retryGeneration } from "@/lib/generations/submit";
import { estimateGeneration, formEstimateOf, priceAtSubmit } from "@/lib/generations/estimate";
import { buildRequest } from "@/lib/generations/build-request";
import { parseRun } from "@/lib/generations/user-errors";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { setConnectionOverridesForTests } from "@/lib/connections/testing";
import { sandboxFetch } from "@/lib/connections/sandbox";
import { storage } from "@/lib/storage/storage";
import type { Viewer } from "@/lib/authz";
import { cancelGeneration } from "@/lib/generations/cancel";
import type { GenerationRequest } from "@/lib/validation/generations";

const defaultPollDelayMs = generationTimings.pollDelayMs;
generationTimings.pollDelayMs = () => 150;
generationTimings.reconcileEveryMs = 200;
generationTimings.reconcileWindowMs = 1500;
generationTimings.submitRetryMs = () => 200;

let worker: WorkerHandle;
const start = () => startWorker({ queues: generationQueues, concurrency: 4, pollMs: 50, leaseMs: 5000, stopTimeoutMs: 300 });

beforeAll(() => {
  worker = start();
});
afterAll(async () => {
  await worker.stop();
  await removeTestFolders();
});
afterEach(() => setConnectionOverridesForTests(undefined));

async function newViewer(): Promise<Viewer> {
  const user = await makeUser();
  return viewerFor(user.id, user.personal.id);
}

async function waitFinal(generationId: string, timeoutMs = 15_000) {
  const read = () => db.generation.findUniqueOrThrow({ where: { id: generationId }, include: { media: { orderBy: { position: "asc" } } } });
  let row = await read();
  await expect
    .poll(async () => (row = await read()).status, { timeout: timeoutMs, interval: 100, message: `generation ${generationId} to end` })
    .toBeOneOf(["SUCCEEDED", "FAILED", "REFUSED"]);
  return row;
}

async function readStored(key: string | null): Promise<Buffer> {
  const object = await storage().get(key!);
  return Buffer.from(await new Response(object!.stream).arrayBuffer());
}

const imageRun = (prompt = "a lighthouse at dusk", batchSize = 1): GenerationRequest => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt,
    negativePrompt: "",
    aspectRatio: "3:2",
    batchSize,
    seed: 7,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

async function uploadPng(viewer: Viewer, width: number, height: number, name = "ref.png") {
  const png = await makePng(width, height);
  return createAsset(viewer, new File([new Uint8Array(png)], name, { type: "image/png" }));
}

describe("submit → worker → ingest", () => {
  it("generates images: READY media with real dimensions, a thumbnail, and authenticated URLs", async () => {
    const viewer = await newViewer();
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("a lighthouse", 2) });
    expect(result).toMatchObject({ status: "QUEUED", deduplicated: false });
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.media).toHaveLength(2);
    for (const media of done.media) {
      expect(media).toMatchObject({ status: "READY", width: 1248, height: 832, mimeType: "image/png" });
      expect((await readStored(media.storageKey)).subarray(1, 4).toString()).toBe("PNG");
      const thumb = await readStored(media.thumbKey);
      expect(thumb.subarray(8, 12).toString()).toBe("WEBP");
      expect(media.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    const [summary] = await listRecentGenerations(viewer, { limit: 5 });
    expect(summary?.media[0]?.thumbUrl).toBe(`/api/w/${viewer.workspaceSlug}/media/${done.media[0]!.id}/thumb`);
    expect(await listRecentGenerations(viewer, { limit: 5, activeOnly: true })).toHaveLength(0);
    expect(await getGenerationParams(viewer, result.generationId)).toMatchObject({ tool: "IMAGE", params: { prompt: "a lighthouse" } });
    expect(await createCalls(viewer.workspaceId)).toHaveLength(1);
  });

  it("turns an uploaded image into a video with dimensions, duration and the input image as its thumbnail", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 600, 1000); // 3:5, the provider's rule
    const video = await submitGeneration(viewer, {
      idempotencyKey: randomUUID(),
      boardId: null,
      run: { tool: "IMAGE_TO_VIDEO", params: { image: { kind: "asset", id: asset.id }, prompt: "slow zoom", duration: 5 } },
    });
    const done = await waitFinal(video.generationId, 20_000);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.media[0]).toMatchObject({ kind: "VIDEO", status: "READY", mimeType: "video/mp4", width: 360, height: 600, durationMs: 5000 });
    expect((await readStored(done.media[0]!.thumbKey)).subarray(8, 12).toString()).toBe("WEBP");
  });

  it("animates a gallery image by its RenderNet media id, without uploading it, and records lineage", async () => {
    const viewer = await newViewer();
    const image = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("a tower") });
    const source = await waitFinal(image.generationId);
    const media = source.media[0]!;
    const [picked] = await listRecentMedia(viewer, { kind: "IMAGE", limit: 5 });
    expect(picked).toMatchObject({ id: media.id, status: "READY", width: 1248, height: 832 });
    expect(await listRecentMedia(viewer, { kind: "VIDEO", limit: 5 })).toEqual([]);
    const video = await submitGeneration(viewer, {
      idempotencyKey: randomUUID(),
      boardId: null,
      run: { tool: "IMAGE_TO_VIDEO", params: { image: { kind: "media", id: media.id }, prompt: "", duration: 5 } },
    });
    const row = await db.generation.findUniqueOrThrow({ where: { id: video.generationId } });
    expect(row.inputMediaId).toBe(media.id);
    expect(row.request).toMatchObject({ items: [{ video_anyone: { media_id: media.providerMediaId, duration: 5 } }] });
    expect(await sandboxHooks.calls(viewer.workspaceId, "/rendernet/pub/v2/assets/upload")).toHaveLength(0);
    // 3:2 is not 3:5 or 5:3: the provider fails the item, and the run says so.
    expect((await waitFinal(video.generationId, 20_000)).status).toBe("FAILED");
  });

  it("runs Qolaba ControlNet with the reference hosted by the sandbox", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 640, 480);
    const result = await submitGeneration(viewer, {
      idempotencyKey: randomUUID(),
      boardId: null,
      run: {
        tool: "CONTROLNET",
        params: { kind: "canny", image: { kind: "asset", id: asset.id }, prompt: "a neon city", negativePrompt: "", guidance: 7, batch: 2, strength: 0.8, steps: 20, gpu: "a10g" },
      },
    });
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.provider).toBe("QOLABA");
    expect(done.media.map((m) => m.status)).toEqual(["READY", "READY"]);
    expect(done.media[0]!.width).toBeGreaterThan(0);
  });

  it("marks items REFUSED when Qolaba drops an NSFW image", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 512, 512);
    const result = await submitGeneration(viewer, {
      idempotencyKey: randomUUID(),
      boardId: null,
      run: {
        tool: "CONTROLNET",
        params: { kind: "depth", image: { kind: "asset", id: asset.id }, prompt: "a beach [sandbox:nsfw]", negativePrompt: "", guidance: 7, batch: 2, strength: 0.5, steps: 10, gpu: "a10g" },
      },
    });
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.media.map((m) => m.status).sort()).toEqual(["READY", "REFUSED"]);
  });

  it("ends REFUSED when every item is censored, FAILED when items fail", async () => {
    const viewer = await newViewer();
    const refused = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("x [sandbox:censor]") });
    const failed = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("x [sandbox:fail]") });
    expect((await waitFinal(refused.generationId)).status).toBe("REFUSED");
    const f = await waitFinal(failed.generationId);
    expect(f.status).toBe("FAILED");
    expect(f.errorMessage).toMatch(/could not produce/);
    const retry = await retryGeneration(await viewerFor(viewer.userId, viewer.workspaceId), failed.generationId, randomUUID());
    expect(retry.deduplicated).toBe(false);
    expect((await db.generation.findUniqueOrThrow({ where: { id: retry.generationId } })).retryOfId).toBe(failed.generationId);
    // The runs panel says the failed run was retried (and offers no second Retry); the refused one was not.
    const listed = await listRecentGenerations(viewer, { limit: 10 });
    expect(listed.find((g) => g.id === failed.generationId)?.retried).toBe(true);
    expect(listed.find((g) => g.id === refused.generationId)?.retried).toBe(false);
  });
});

describe("submitting safely", () => {
  it("makes one generation and one create for concurrent submits with one key", async () => {
    const viewer = await newViewer();
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => submitGeneration(viewer, { idempotencyKey: key, boardId: null, run: imageRun("twins") })));
    const ids = new Set(results.map((r) => r.generationId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
    await waitFinal([...ids][0]!);
    expect(await db.generation.count({ where: { workspaceId: viewer.workspaceId } })).toBe(1);
    expect(await createCalls(viewer.workspaceId)).toHaveLength(1);
  });

  it("refuses a run the balance cannot cover, and sends nothing", async () => {
    const viewer = await newViewer();
    await sandboxHooks.credits(viewer.workspaceId, 3);
    await expect(submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("pricey", 2) })).rejects.toMatchObject({
      message: "This run costs 4 credits and the balance is 3.",
      code: "conflict",
    });
    expect(await db.generation.count({ where: { workspaceId: viewer.workspaceId } })).toBe(0);
    expect(await createCalls(viewer.workspaceId)).toHaveLength(0);
    expect(await estimateGeneration(viewer, imageRun("pricey", 2))).toEqual({ credits: 4, balance: 3, shortBy: 1, budget: null });
  });

  it("prices a run through the connection it is sent with, never with a form estimate made through another one", async () => {
    const viewer = await newViewer();
    const run = parseRun(imageRun("priced twice"));
    await estimateGeneration(viewer, run); // the form's estimate, cached, through the workspace's sandbox account
    const form = await formEstimateOf(viewer.workspaceId, run);
    expect(form).toMatchObject({ connectionId: `sandbox:v2:${viewer.workspaceId}`, price: { credits: 2, balance: 500 } });
    const connection = await getWorkspaceConnection(viewer.workspaceId);
    const built = await buildRequest(connection, viewer.workspaceId, run);
    expect(await priceAtSubmit(connection, viewer.workspaceId, built, form)).toBe(form!.price);

    // The same cached estimate seen after the key was replaced (through this instance or another): another account's
    // price and balance, so the run is priced afresh through the connection it will be sent with.
    await sandboxHooks.credits(viewer.workspaceId, 3);
    const replaced = { ...form!, connectionId: `rendernet:${randomUUID()}:v2` };
    expect(await priceAtSubmit(connection, viewer.workspaceId, built, replaced)).toEqual({ credits: 2, balance: 3, shortBy: null });
  });

  it("reconciles a lost create answer: charged once, one create, results ingested", async () => {
    const viewer = await newViewer();
    await sandboxHooks.faults(viewer.workspaceId, [{ method: "POST", path: CREATE_PATH, fault: "lost_response" }]);
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("lost") });
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.providerGenerationId).toBeTruthy();
    expect(await createCalls(viewer.workspaceId)).toHaveLength(1);
    const estimate = await estimateGeneration(viewer, imageRun("balance check"));
    expect(estimate.balance).toBe(500 - 2);
  });

  it("reads the status 0.5 s after the create's answer, as the schedule says, not at the worker's next poll", async () => {
    const viewer = await newViewer();
    await worker.stop();
    generationTimings.pollDelayMs = defaultPollDelayMs;
    // A 30 s fallback poll: only the job's own runAt can explain when the status is read.
    const patient = startWorker({ queues: generationQueues, concurrency: 2, pollMs: 30_000, leaseMs: 5000, stopTimeoutMs: 300 });
    try {
      const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("on time") });
      expect((await waitFinal(result.generationId)).status).toBe("SUCCEEDED");
    } finally {
      await patient.stop();
      generationTimings.pollDelayMs = () => 150;
      worker = start();
    }
    const calls = await sandboxHooks.calls(viewer.workspaceId);
    const create = calls.find((call) => call.method === "POST" && call.path === CREATE_PATH) as { time: number } | undefined;
    const firstRead = calls.find((call) => call.method === "GET" && call.path.startsWith(`${CREATE_PATH}/`)) as { time: number } | undefined;
    expect(create && firstRead).toBeTruthy();
    // 500 ms after the answer (which follows the create's arrival by a few ms, more on a busy machine).
    expect(firstRead!.time - create!.time).toBeGreaterThanOrEqual(500);
    expect(firstRead!.time - create!.time).toBeLessThan(1000);
  });

  it("resumes after a crash between committing SUBMITTING and the create's answer, with exactly one create", async () => {
    const viewer = await newViewer();
    await worker.stop();
    let sawCreate!: () => void;
    const created = new Promise<void>((resolve) => (sawCreate = resolve));
    setConnectionOverridesForTests({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.method === "POST" && new URL(request.url).pathname.endsWith("/pub/v1/generations")) {
          await sandboxFetch(request); // the provider gets it and charges...
          sawCreate();
          return new Promise<Response>(() => undefined); // ...and the process dies before the answer is read
        }
        return sandboxFetch(request);
      },
    });
    const doomed = startWorker({ queues: generationQueues, concurrency: 1, pollMs: 50, leaseMs: 60_000, stopTimeoutMs: 50, listen: false });
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("crash") });
    await created;
    await doomed.stop(); // "SIGKILL": the handler never returns; its lease is left to expire
    setConnectionOverridesForTests(undefined);
    expect((await db.generation.findUniqueOrThrow({ where: { id: result.generationId } })).status).toBe("SUBMITTING");
    await db.$executeRaw`UPDATE "Job" SET "lockedUntil" = now() - interval '1 second' WHERE "key" = ${`generation:${result.generationId}`}`;
    worker = start();
    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(await createCalls(viewer.workspaceId)).toHaveLength(1);
  });

  it("gets through 429 and 5xx faults to success", async () => {
    const viewer = await newViewer();
    await sandboxHooks.faults(viewer.workspaceId, [
      { method: "POST", path: CREATE_PATH, fault: "rate_limit", retryAfter: 0, times: 1 },
      { method: "GET", path: `${CREATE_PATH}/*`, fault: "server_error", status: 503, times: 2 },
    ]);
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("faults") });
    const done = await waitFinal(result.generationId, 20_000);
    expect(done.status).toBe("SUCCEEDED");
    const creates = await createCalls(viewer.workspaceId);
    expect(creates.map((c) => c.fault ?? "ok")).toEqual(["rate_limit", "ok"]);
  });

  it("ends a hung create with a clear failure, never stuck", async () => {
    const viewer = await newViewer();
    setConnectionOverridesForTests({ rendernet: { timeouts: { jsonMs: 500 } } });
    await sandboxHooks.faults(viewer.workspaceId, [{ method: "POST", path: CREATE_PATH, fault: "hang" }]);
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("hang") });
    const done = await waitFinal(result.generationId, 15_000);
    expect(done.status).toBe("FAILED");
    expect(done.errorMessage).toBe("The provider did not receive this run; nothing was charged. Retry it.");
  });

  it("survives a hung status read", async () => {
    const viewer = await newViewer();
    setConnectionOverridesForTests({ rendernet: { timeouts: { jsonMs: 400 } } });
    await sandboxHooks.faults(viewer.workspaceId, [{ method: "GET", path: `${CREATE_PATH}/*`, fault: "hang", times: 1 }]);
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("slow read") });
    expect((await waitFinal(result.generationId, 15_000)).status).toBe("SUCCEEDED");
  });
});

const UPLOAD_TICKET = "/rendernet/pub/v2/assets/upload";
const ESTIMATE_PATH = "/rendernet/pub/v1/generations/estimate";
const editRun = (assetId: string): GenerationRequest => ({ tool: "EDIT", params: { image: { kind: "asset", id: assetId }, find: "circle", replace: "moon" } });

describe("submit returns at once; the job uploads", () => {
  it("records a run whose input the provider lacks as PREPARING without uploading, then the job uploads, prices and sends it", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 320, 240);
    // The provider takes 2 s to hand out an upload ticket: the submit must not wait for it.
    await sandboxHooks.faults(viewer.workspaceId, [{ method: "POST", path: UPLOAD_TICKET, fault: "latency", latencyMs: 2000 }]);
    const key = randomUUID();
    const started = performance.now();
    const result = await submitGeneration(viewer, { idempotencyKey: key, boardId: null, run: editRun(asset.id) });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: "PREPARING", deduplicated: false });
    expect(elapsed).toBeLessThan(2000);
    const recorded = await db.generation.findUniqueOrThrow({ where: { id: result.generationId } });
    expect(recorded).toMatchObject({ status: "PREPARING", request: null, estimatedCredits: null, prompt: "circle → moon" });
    // The card says so, and a replay of the click is the same run.
    expect((await listRecentGenerations(viewer, { limit: 5, activeOnly: true })).map((g) => g.status)).toEqual(["PREPARING"]);
    expect(await submitGeneration(viewer, { idempotencyKey: key, boardId: null, run: editRun(asset.id) })).toEqual({ ...result, deduplicated: true });

    const done = await waitFinal(result.generationId);
    expect(done).toMatchObject({ status: "SUCCEEDED", estimatedCredits: 2 });
    expect(done.request).toMatchObject({ items: [{ segment: { asset_id: expect.not.stringMatching(/pending/) } }] });
    expect(await sandboxHooks.calls(viewer.workspaceId, UPLOAD_TICKET)).toHaveLength(1);
    expect(await sandboxHooks.calls(viewer.workspaceId, ESTIMATE_PATH)).toHaveLength(1); // priced by the job
    expect(await createCalls(viewer.workspaceId)).toHaveLength(1);
    // Priced by the job, charged once: the balance says so.
    expect((await estimateGeneration(viewer, imageRun("balance"))).balance).toBe(500 - 2);
  });

  it("refuses in the job, with the submit's sentence and nothing created, a run the balance cannot cover once priced", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 300, 200);
    await sandboxHooks.credits(viewer.workspaceId, 1);
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: editRun(asset.id) });
    expect(result.status).toBe("PREPARING");
    const done = await waitFinal(result.generationId);
    expect(done).toMatchObject({ status: "FAILED", errorCause: "out_of_credits", errorMessage: "This run costs 2 credits and the balance is 1." });
    expect(done).toMatchObject({ chargedCredits: 0, chargeBasis: "NOT_SENT" });
    expect(await createCalls(viewer.workspaceId)).toHaveLength(0);
    expect((await listRecentGenerations(viewer, { limit: 5 }))[0]).toMatchObject({ status: "FAILED", errorMessage: "This run costs 2 credits and the balance is 1." });
  });

  it("uses the form's cached estimate instead of asking the provider again, and queues at once when the estimate already uploaded", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 200, 200);
    expect(await estimateGeneration(viewer, editRun(asset.id))).toMatchObject({ credits: 2 });
    const queued = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: editRun(asset.id) });
    expect(queued.status).toBe("QUEUED");
    expect(await sandboxHooks.calls(viewer.workspaceId, ESTIMATE_PATH)).toHaveLength(1);
    expect((await waitFinal(queued.generationId)).status).toBe("SUCCEEDED");

    // Priced by the form, but the copy at the provider is unknown (another connection, say): PREPARING with its
    // price; the job uploads and does not price it again.
    const other = await uploadPng(viewer, 210, 200);
    expect(await estimateGeneration(viewer, editRun(other.id))).toMatchObject({ credits: 2 });
    await db.providerAsset.deleteMany({ where: { workspaceId: viewer.workspaceId, assetId: other.id } });
    const preparing = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: editRun(other.id) });
    expect(preparing.status).toBe("PREPARING");
    expect((await db.generation.findUniqueOrThrow({ where: { id: preparing.generationId } })).estimatedCredits).toBe(2);
    expect((await waitFinal(preparing.generationId)).status).toBe("SUCCEEDED");
    expect(await sandboxHooks.calls(viewer.workspaceId, ESTIMATE_PATH)).toHaveLength(2);
    expect(await sandboxHooks.calls(viewer.workspaceId, UPLOAD_TICKET)).toHaveLength(3);
  });

  it("cancels a run while its input uploads: at once, not charged, nothing created, the upload's answer changes nothing", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 330, 240);
    await sandboxHooks.faults(viewer.workspaceId, [{ method: "POST", path: UPLOAD_TICKET, fault: "latency", latencyMs: 1500 }]);
    const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: editRun(asset.id) });
    expect(result.status).toBe("PREPARING");
    const [card] = await listRecentGenerations(viewer, { limit: 1 });
    expect(card).toMatchObject({ status: "PREPARING", canCancel: true, expected: { count: 1, aspect: null }, media: [] });
    expect(await cancelGeneration(viewer, result.generationId)).toMatchObject({ status: "CANCELLED", cancelling: false });
    // Its job either had not started (it then finds the run cancelled and uploads nothing) or finishes the upload under
    // way and then finds it cancelled; either way it ends without sending anything.
    await expect.poll(async () => db.job.count({ where: { key: `generation:${result.generationId}` } }), { timeout: 8_000 }).toBe(0);
    expect((await sandboxHooks.calls(viewer.workspaceId, UPLOAD_TICKET)).length).toBeLessThanOrEqual(1);
    expect(await db.generation.findUniqueOrThrow({ where: { id: result.generationId } })).toMatchObject({
      status: "CANCELLED",
      chargedCredits: 0,
      chargeBasis: "NOT_SENT",
      request: null,
    });
    expect(await createCalls(viewer.workspaceId)).toHaveLength(0);
  }, 20_000);

  it("fails a PREPARING run whose input was deleted before its job ran, sending nothing", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 100, 80);
    await worker.stop();
    try {
      const result = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: editRun(asset.id) });
      expect(result.status).toBe("PREPARING");
      await db.asset.delete({ where: { id: asset.id } });
    } finally {
      worker = start();
    }
    const [run] = await listRecentGenerations(viewer, { limit: 1 });
    const done = await waitFinal(run!.id);
    expect(done).toMatchObject({ status: "FAILED", errorCause: "invalid_input" });
    expect(await sandboxHooks.calls(viewer.workspaceId, UPLOAD_TICKET)).toHaveLength(0);
    expect(await createCalls(viewer.workspaceId)).toHaveLength(0);
  });
});

describe("inputs and workspaces", () => {
  it("refuses another workspace's ids as not found", async () => {
    const alice = await newViewer();
    const bob = await newViewer();
    const asset = await uploadPng(alice, 64, 64);
    await expect(
      submitGeneration(bob, { idempotencyKey: randomUUID(), boardId: null, run: { tool: "EDIT", params: { image: { kind: "asset", id: asset.id }, find: "a", replace: "b" } } }),
    ).rejects.toMatchObject({ code: "not_found" });
    const board = await db.board.create({ data: { workspaceId: alice.workspaceId, name: "Mine" } });
    await expect(submitGeneration(bob, { idempotencyKey: randomUUID(), boardId: board.id, run: imageRun() })).rejects.toMatchObject({ code: "not_found" });
    await expect(retryGeneration(bob, "nope", randomUUID())).rejects.toMatchObject({ code: "not_found" });
    expect(await getGenerationParams(bob, "nope")).toBeNull();
  });

  it("edits an uploaded image, uploading it to the provider once", async () => {
    const viewer = await newViewer();
    const asset = await uploadPng(viewer, 300, 200);
    const run: GenerationRequest = { tool: "EDIT", params: { image: { kind: "asset", id: asset.id }, find: "circle", replace: "moon" } };
    const first = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run });
    const second = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run });
    expect((await waitFinal(first.generationId)).status).toBe("SUCCEEDED");
    expect((await waitFinal(second.generationId)).status).toBe("SUCCEEDED");
    expect(await sandboxHooks.calls(viewer.workspaceId, "/rendernet/pub/v2/assets/upload")).toHaveLength(1);
    expect(await db.providerAsset.count({ where: { workspaceId: viewer.workspaceId } })).toBe(1);
  });

  it("records narrator video inputs with duration and frame rate", async () => {
    const viewer = await newViewer();
    const mp4 = await makeMp4(320, 240, 24, 12);
    const asset = await createAsset(viewer, new File([new Uint8Array(mp4)], "clip.mp4"));
    expect(asset).toMatchObject({ kind: "VIDEO", mimeType: "video/mp4", width: 320, height: 240, durationMs: 2000, frameRate: 12 });
  });
});
