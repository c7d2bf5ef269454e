import { removeTestFolders, sandboxHooks } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { enqueue } from "@/lib/jobs/queue";
import { GENERATION_QUEUE } from "@/lib/generations/constants";
import { generationQueues, generationTimings } from "@/lib/generations/worker";
import { estimateGeneration, estimateVariation } from "@/lib/generations/estimate";
import { getGenerationParams, listRecentGenerations } from "@/lib/data/generations";
import { retryGeneration, submitGeneration, varyGeneration } from "@/lib/generations/submit";
import { CHOSEN_SEED_MAX } from "@/lib/generations/seeds";
import { setConnectionOverridesForTests } from "@/lib/connections/testing";
import { sandboxApiKey, sandboxFetch, sandboxOrigin } from "@/lib/connections/sandbox";
import type { StoredRequest } from "@/lib/generations/build-request";
import type { Viewer } from "@/lib/authz";
import type { GenerationRequest } from "@/lib/validation/generations";

/**
 * Every run is reproducible: a seed left on "random" is chosen by Atelier, recorded in the run's params and stored
 * request, and is what the provider receives (read here from the create bodies the sandbox was sent); a rebuild in the
 * worker keeps it; Vary sends the same run with another seed, as a run like any other (roles, workspace, balance).
 */

generationTimings.pollDelayMs = () => 150;

let worker: WorkerHandle;
const start = () => startWorker({ queues: generationQueues, concurrency: 4, pollMs: 50, leaseMs: 5000, stopTimeoutMs: 300 });

/** The create bodies (POST /pub/v1/generations) the sandbox received, per workspace account key. */
const sent = new Map<string, unknown[]>();
const createsOf = (viewer: Viewer) => (sent.get(sandboxApiKey(viewer.workspaceId)) ?? []) as Record<string, unknown>[][];

beforeAll(() => {
  worker = start();
});
beforeEach(() => {
  setConnectionOverridesForTests({
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (request.method === "POST" && new URL(request.url).pathname.endsWith("/pub/v1/generations")) {
        const key = request.headers.get("x-api-key") ?? "";
        sent.set(key, [...(sent.get(key) ?? []), await request.clone().json()]);
      }
      return sandboxFetch(request);
    },
  });
});
afterEach(() => setConnectionOverridesForTests(undefined));
afterAll(async () => {
  await worker.stop();
  await removeTestFolders();
});

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

const imageRun = (seed: number | null, batchSize = 1, prompt = "a lighthouse at dusk"): Extract<GenerationRequest, { tool: "IMAGE" }> => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt,
    negativePrompt: "",
    aspectRatio: "3:2",
    batchSize,
    guidance: 7,
    steps: 20,
    seed,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

const submit = (viewer: Viewer, run: GenerationRequest) => submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run });
const paramsOf = async (generationId: string) => (await db.generation.findUniqueOrThrow({ where: { id: generationId } })).params as Record<string, unknown>;

/** The seeds the sandbox reports for a RenderNet generation's media (an extra field the sandbox adds). */
async function providerSeeds(viewer: Viewer, providerGenerationId: string): Promise<unknown[]> {
  const response = await sandboxFetch(`${sandboxOrigin()}/sandbox/rendernet/pub/v1/generations/${providerGenerationId}`, {
    headers: { "X-API-KEY": sandboxApiKey(viewer.workspaceId) },
  });
  const body = (await response.json()) as { data: { media: { seed?: unknown }[] } };
  return body.data.media.map((media) => media.seed);
}

async function refusal(promise: Promise<unknown>): Promise<Error & { code: string }> {
  const error = await promise.then(
    () => expect.unreachable("expected a refusal"),
    (reason: unknown) => reason,
  );
  return error as Error & { code: string };
}

describe("a run with a random seed", () => {
  it("gets a seed chosen at submit, recorded in its params and stored request, sent to the provider, and shown in the runs panel", async () => {
    const viewer = await newViewer();
    const result = await submit(viewer, imageRun(null, 2));
    const row = await db.generation.findUniqueOrThrow({ where: { id: result.generationId } });
    const seed = (row.params as { seed: unknown }).seed as number;
    expect(Number.isInteger(seed) && seed >= 0 && seed <= CHOSEN_SEED_MAX).toBe(true);
    expect((row.request as StoredRequest & { provider: "rendernet" }).items).toEqual([expect.objectContaining({ seed, batch_size: 2 })]);

    const done = await waitFinal(result.generationId);
    expect(done.status).toBe("SUCCEEDED");
    // The sandbox got exactly that seed, once, on the one item; it gives image i of the batch seed + i.
    expect(createsOf(viewer)).toEqual([[expect.objectContaining({ seed, batch_size: 2 })]]);
    expect(await providerSeeds(viewer, done.providerGenerationId!)).toEqual([seed, seed + 1]);
    expect((await listRecentGenerations(viewer, { limit: 5 }))[0]).toMatchObject({ id: result.generationId, seed });
    // Reuse settings reads the params: the seed is there, not "random".
    expect(await getGenerationParams(viewer, result.generationId)).toMatchObject({ tool: "IMAGE", params: { seed } });
  });

  it("keeps a seed the user chose as it is", async () => {
    const viewer = await newViewer();
    const result = await submit(viewer, imageRun(4_000_000_000));
    expect(await paramsOf(result.generationId)).toMatchObject({ seed: 4_000_000_000 });
    await waitFinal(result.generationId);
    expect(createsOf(viewer)).toEqual([[expect.objectContaining({ seed: 4_000_000_000 })]]);
  });
});

describe("a rebuild in the worker", () => {
  it("sends the recorded seed when the stored request must be built again (the connection changed)", async () => {
    const viewer = await newViewer();
    await worker.stop();
    try {
      const result = await submit(viewer, imageRun(null));
      const row = await db.generation.findUniqueOrThrow({ where: { id: result.generationId } });
      // As if the workspace had switched connections since: the worker must rebuild the request from the params.
      await db.generation.update({ where: { id: row.id }, data: { request: { ...(row.request as object), connectionId: "an-older-connection", items: [] } } });
    } finally {
      worker = start();
    }
    const [only] = await db.generation.findMany({ where: { workspaceId: viewer.workspaceId } });
    const seed = (only!.params as { seed: number }).seed;
    const done = await waitFinal(only!.id);
    expect(done.status).toBe("SUCCEEDED");
    expect(createsOf(viewer)).toEqual([[expect.objectContaining({ seed })]]);
    expect((done.request as StoredRequest & { provider: "rendernet" }).items[0]).toMatchObject({ seed });
    expect(done.request).not.toMatchObject({ connectionId: "an-older-connection" });
  });

  it("chooses and records a seed for a run queued without one (recorded before seeds were chosen at submit)", async () => {
    const viewer = await newViewer();
    const legacy = await db.$transaction(async (tx) => {
      const row = await tx.generation.create({
        data: {
          workspaceId: viewer.workspaceId,
          createdById: viewer.userId,
          tool: "IMAGE",
          provider: "RENDERNET",
          status: "QUEUED",
          idempotencyKey: randomUUID(),
          params: imageRun(null).params,
          prompt: "a lighthouse at dusk",
          deadlineAt: new Date(Date.now() + 600_000),
        },
      });
      await enqueue(tx, { queue: GENERATION_QUEUE, key: `generation:${row.id}`, groupKey: viewer.workspaceId, payload: { generationId: row.id } });
      return row;
    });
    const done = await waitFinal(legacy.id);
    expect(done.status).toBe("SUCCEEDED");
    const seed = (done.params as { seed: unknown }).seed as number;
    expect(Number.isInteger(seed)).toBe(true);
    expect(createsOf(viewer)).toEqual([[expect.objectContaining({ seed })]]);
    expect(await providerSeeds(viewer, done.providerGenerationId!)).toEqual([seed]);
  });
});

describe("Vary", () => {
  it("submits the same params with another seed, as a new run, and sends that seed", async () => {
    const viewer = await newViewer();
    const original = await submit(viewer, imageRun(null, 2, "a red fox in the snow"));
    await waitFinal(original.generationId);
    const before = await paramsOf(original.generationId);

    const varied = await varyGeneration(viewer, original.generationId, randomUUID());
    expect(varied).toMatchObject({ deduplicated: false, status: "QUEUED" });
    expect(varied.generationId).not.toBe(original.generationId);
    const after = await paramsOf(varied.generationId);
    expect(after.seed).toEqual(expect.any(Number));
    expect(after.seed).not.toBe(before.seed);
    expect({ ...after, seed: null }).toEqual({ ...before, seed: null });

    const done = await waitFinal(varied.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.prompt).toBe("a red fox in the snow");
    expect(createsOf(viewer).map((body) => body[0]!.seed)).toEqual([before.seed, after.seed]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { workspaceId: viewer.workspaceId, targetId: varied.generationId } });
    expect(audit).toMatchObject({ action: "generation.submitted", actorId: viewer.userId, details: { tool: "IMAGE", variationOf: original.generationId } });
  });

  it("never picks the original's seed, and each key is one run (a replayed key answers with it)", async () => {
    const viewer = await newViewer();
    const original = await submit(viewer, imageRun(7));
    const key = randomUUID();
    const first = await varyGeneration(viewer, original.generationId, key);
    expect(await varyGeneration(viewer, original.generationId, key)).toEqual({ ...first, deduplicated: true });
    const second = await varyGeneration(viewer, original.generationId, randomUUID());
    const seeds = [original, first, second].map(async (run) => (await paramsOf(run.generationId)).seed);
    const [a, b, c] = await Promise.all(seeds);
    expect(a).toBe(7);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(await db.generation.count({ where: { workspaceId: viewer.workspaceId } })).toBe(3);
  });

  it("works on a run recorded without a seed, and on tools without one (the same run again)", async () => {
    const viewer = await newViewer();
    const legacy = await db.generation.create({
      data: {
        workspaceId: viewer.workspaceId,
        createdById: viewer.userId,
        tool: "IMAGE",
        provider: "RENDERNET",
        status: "SUCCEEDED",
        idempotencyKey: randomUUID(),
        params: imageRun(null).params,
      },
    });
    const varied = await varyGeneration(viewer, legacy.id, randomUUID());
    expect((await paramsOf(varied.generationId)).seed).toEqual(expect.any(Number));
    expect((await listRecentGenerations(viewer, { limit: 5 })).find((g) => g.id === legacy.id)?.seed).toBeNull();

    const controlnetParams = { kind: "canny", image: { kind: "asset", id: "gone" }, prompt: "a neon city", negativePrompt: "", guidance: 7, batch: 1, strength: 0.8, steps: 20, gpu: "a10g" };
    const qolaba = await db.generation.create({
      data: { workspaceId: viewer.workspaceId, createdById: viewer.userId, tool: "CONTROLNET", provider: "QOLABA", status: "SUCCEEDED", idempotencyKey: randomUUID(), params: controlnetParams },
    });
    // Its input was deleted since: refused as not found, and nothing is recorded.
    expect((await refusal(varyGeneration(viewer, qolaba.id, randomUUID()))).code).toBe("not_found");
    expect(await db.generation.count({ where: { workspaceId: viewer.workspaceId } })).toBe(3);
  });

  it("sends another tool's run again with exactly its params", async () => {
    const viewer = await newViewer();
    const { createAsset } = await import("@/lib/generations/assets");
    const { makePng } = await import("@/sandbox/test-support");
    const asset = await createAsset(viewer, new File([new Uint8Array(await makePng(300, 200))], "ref.png", { type: "image/png" }));
    const edit = await submit(viewer, { tool: "EDIT", params: { image: { kind: "asset", id: asset.id }, find: "circle", replace: "moon" } });
    const again = await varyGeneration(viewer, edit.generationId, randomUUID());
    expect(await paramsOf(again.generationId)).toEqual(await paramsOf(edit.generationId));
    expect((await waitFinal(again.generationId)).status).toBe("SUCCEEDED");
    expect(createsOf(viewer).every((body) => !("seed" in body[0]!))).toBe(true);
  });

  it("prices the variation through the estimate path", async () => {
    const viewer = await newViewer();
    const original = await submit(viewer, imageRun(null, 3));
    const estimate = await estimateVariation(viewer, original.generationId);
    expect(estimate).toEqual(await estimateGeneration(viewer, imageRun(null, 3)));
    expect(estimate.credits).toBe(6);
  });

  it("is refused to viewers, and another workspace's run answers like a missing one", async () => {
    const owner = await makeUser("Owner");
    const team = await makeTeam(owner.id);
    const watcher = await makeUser("Viewer");
    await addMember(team.id, watcher.id, "VIEWER");
    const ownerViewer = await viewerFor(owner.id, team.id);
    const readOnly = await viewerFor(watcher.id, team.id);
    const original = await submit(ownerViewer, imageRun(11));
    expect((await refusal(varyGeneration(readOnly, original.generationId, randomUUID()))).code).toBe("forbidden");
    expect((await refusal(estimateVariation(readOnly, original.generationId))).code).toBe("forbidden");

    const outsider = await newViewer();
    expect((await refusal(varyGeneration(outsider, original.generationId, randomUUID()))).code).toBe("not_found");
    expect((await refusal(estimateVariation(outsider, original.generationId))).code).toBe("not_found");
    expect((await refusal(varyGeneration(outsider, "no-such-run", randomUUID()))).code).toBe("not_found");
    expect(await db.generation.count({ where: { workspaceId: { in: [team.id, outsider.workspaceId] } } })).toBe(1);
  });

  it("is refused when the balance or the member's budget can't cover it, and sends nothing", async () => {
    const viewer = await newViewer();
    const original = await submit(viewer, imageRun(5, 2));
    await waitFinal(original.generationId);
    await sandboxHooks.credits(viewer.workspaceId, 3);
    expect(await refusal(varyGeneration(viewer, original.generationId, randomUUID()))).toMatchObject({
      code: "conflict",
      message: "This run costs 4 credits and the balance is 3.",
    });
    await sandboxHooks.credits(viewer.workspaceId, 500);
    await db.membership.updateMany({ where: { workspaceId: viewer.workspaceId, userId: viewer.userId }, data: { monthlyCreditBudget: 5 } });
    expect((await refusal(varyGeneration(viewer, original.generationId, randomUUID()))).message).toMatch(/budget/);
    expect(await db.generation.count({ where: { workspaceId: viewer.workspaceId } })).toBe(1);
    expect(createsOf(viewer)).toHaveLength(1);
  });

  it("a retry, unlike Vary, sends the failed run's own seed again", async () => {
    const viewer = await newViewer();
    const failed = await submit(viewer, imageRun(null, 1, "x [sandbox:fail]"));
    expect((await waitFinal(failed.generationId)).status).toBe("FAILED");
    const seed = (await paramsOf(failed.generationId)).seed;
    expect(seed).toEqual(expect.any(Number));
    const retry = await retryGeneration(viewer, failed.generationId, randomUUID());
    expect((await paramsOf(retry.generationId)).seed).toBe(seed);
  });
});
