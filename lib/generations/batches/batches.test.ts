import { createCalls, removeTestFolders, sandboxHooks } from "@/lib/generations/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/authz";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { generationQueues, generationTimings } from "@/lib/generations/worker";
import { getBatch, tallyBatch } from "@/lib/data/batches";
import { BATCH_QUEUE, cancelBatch, pauseBatch, resumeBatch, startBatch } from "@/lib/generations/batches/batches";
import { planBatch } from "@/lib/generations/batches/plan";
import { batchQueues, runBatchJob } from "@/lib/generations/batches/run";
import { batchPlanSchema, BATCH_IN_FLIGHT, type BatchPlanInput } from "@/lib/validation/batches";

generationTimings.pollDelayMs = () => 150;

const settings = {
  negativePrompt: "",
  batchSize: 1,
  guidance: 7,
  steps: 20,
  sampler: "DPM++ 2M Karras",
  quality: "Regular",
  loras: [],
  controlNet: null,
  faceLock: null,
  character: null,
};
// The sandbox's prices (sandbox/pricing.ts): an SDXL model 2 credits a run, an SD 1.5 model 1, whatever the prompt.
const juggernaut = { kind: "model" as const, name: "JuggernautXL", baseModel: "sdxl" };
const dreamshaper = { kind: "model" as const, name: "DreamShaper", baseModel: "sd15" };

/** 3 prompts × 2 models × 2 aspect ratios × 1 seed: 12 runs, 18 credits. */
const matrix = (over: Partial<BatchPlanInput> = {}) =>
  batchPlanSchema.parse({
    settings,
    prompts: ["a lighthouse at dusk", "a harbour at dawn", "a cliff in fog"],
    bases: [juggernaut, dreamshaper],
    aspectRatios: ["1:1", "3:2"],
    seeds: { mode: "random", count: 1 },
    ...over,
  });

afterAll(async () => {
  await removeTestFolders();
});

async function team(): Promise<{ owner: Viewer; member: Viewer; admin: Viewer; viewer: Viewer; outsider: Viewer }> {
  const [o, m, a, v, x] = await Promise.all([makeUser("Owner"), makeUser("Member"), makeUser("Admin"), makeUser("Viewer"), makeUser("Outsider")]);
  const workspace = await makeTeam(o.id);
  await Promise.all([addMember(workspace.id, m.id, "MEMBER"), addMember(workspace.id, a.id, "ADMIN"), addMember(workspace.id, v.id, "VIEWER")]);
  const [owner, member, admin, viewer, outsider] = await Promise.all([
    viewerFor(o.id, workspace.id),
    viewerFor(m.id, workspace.id),
    viewerFor(a.id, workspace.id),
    viewerFor(v.id, workspace.id),
    viewerFor(x.id, x.personal.id),
  ]);
  return { owner, member, admin, viewer, outsider };
}

const batchRow = (id: string) => db.batch.findUniqueOrThrow({ where: { id } });
const payloadOf = async (id: string) => ({ batchId: id, resumedAt: (await batchRow(id)).resumedAt.getTime() });

describe("planning a batch", () => {
  it("counts the runs and prices each distinct combination once, against the budget and the balance", async () => {
    const { member } = await team();
    await db.membership.updateMany({ where: { workspaceId: member.workspaceId, userId: member.userId }, data: { monthlyCreditBudget: 100 } });
    const before = (await sandboxHooks.calls(member.workspaceId)).filter((c) => c.path.endsWith("/estimate")).length;
    const plan = await planBatch(member, matrix());
    expect(plan.runs).toBe(12);
    expect(plan.combinations).toEqual([
      { label: "JuggernautXL · 1:1", runs: 3, creditsEach: 2, problem: null },
      { label: "JuggernautXL · 3:2", runs: 3, creditsEach: 2, problem: null },
      { label: "DreamShaper · 1:1", runs: 3, creditsEach: 1, problem: null },
      { label: "DreamShaper · 3:2", runs: 3, creditsEach: 1, problem: null },
    ]);
    expect(plan.totalCredits).toBe(18);
    expect(plan.unknownRuns).toBe(0);
    expect(plan.budget).toEqual({ limit: 100, remaining: 100 });
    expect(plan.balance).toBeGreaterThan(0);
    const estimates = (await sandboxHooks.calls(member.workspaceId)).filter((c) => c.path.endsWith("/estimate")).length - before;
    expect(estimates).toBe(4); // one per (model, aspect ratio), not one per run
  });

  it("plans a 1,000-run matrix within 2 s", async () => {
    const { member } = await team();
    const prompts = Array.from({ length: 25 }, (_, i) => `a lighthouse, variation ${i}`);
    const bases = [juggernaut, dreamshaper, { kind: "model" as const, name: "RealVisXL", baseModel: "sdxl" }, { kind: "model" as const, name: "Flux", baseModel: "flux" }];
    const plan = matrix({ prompts, bases, aspectRatios: ["1:1", "3:2", "2:3", "16:9", "9:16"], seeds: { mode: "random", count: 2 } });
    const started = performance.now();
    const result = await planBatch(member, plan);
    const took = performance.now() - started;
    expect(result.runs).toBe(1000);
    expect(result.totalCredits).toBe(250 * (2 + 1 + 2 + 4));
    expect(took).toBeLessThan(2000);
  });

  it("is refused to a viewer", async () => {
    const { viewer } = await team();
    await expect(planBatch(viewer, matrix())).rejects.toThrow("(viewer) doesn't allow this.");
  });
});

describe("running a batch", () => {
  // Only here: the other tests drive the batch's job by hand, one call at a time.
  let worker: WorkerHandle;
  beforeAll(() => {
    worker = startWorker({ queues: { ...generationQueues, ...batchQueues }, concurrency: 6, perGroup: 6, pollMs: 50, leaseMs: 5000, stopTimeoutMs: 300 });
  });
  afterAll(() => worker.stop());

  it("stops at its cap with bounded concurrency, sends nothing over it, and cancel leaves the rest unsent", async () => {
    const { member } = await team();
    // Slow runs, so several are in flight together and the bound is what holds them back.
    await sandboxHooks.schedule(member.workspaceId, { pendingAfterMs: 300, finalAfterMs: 1500 });
    const { batchId, boardName } = await startBatch(member, { name: "Coast", capCredits: 10, plan: matrix() });
    expect(boardName).toBe("Batch · Coast");
    let maxInFlight = 0;
    await expect
      .poll(
        async () => {
          maxInFlight = Math.max(maxInFlight, (await tallyBatch(batchId)).inFlight);
          return (await batchRow(batchId)).state;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe("PAUSED");
    const paused = await batchRow(batchId);
    // Cells in order: 2 + 2 + 1 + 1 (first prompt) + 2 + 2 = 10; the next (1 credit) would pass the cap.
    expect(paused.nextCell).toBe(6);
    expect(paused.pauseReason).toBe("Stopped at its cap: the next run costs 1 credit and 0 of its 10-credit cap are left.");
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(BATCH_IN_FLIGHT);
    const runs = await db.generation.findMany({ where: { batchId }, select: { estimatedCredits: true, boardId: true, batchCell: true } });
    expect(runs.map((r) => r.batchCell).sort((a, b) => a! - b!)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(runs.reduce((sum, r) => sum + (r.estimatedCredits ?? 0), 0)).toBe(10);
    expect(new Set(runs.map((r) => r.boardId))).toEqual(new Set([paused.boardId]));

    await cancelBatch(member, batchId);
    await expect.poll(async () => (await tallyBatch(batchId)).inFlight, { timeout: 20_000, interval: 100 }).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Exactly the six cells under the cap reached the provider; the six others were never sent.
    expect(await createCalls(member.workspaceId)).toHaveLength(6);
    const batch = await getBatch(member, batchId);
    expect(batch).toMatchObject({ state: "CANCELLED", total: 12, nextCell: 6, tally: { submitted: 6, succeeded: 6, committed: 10 } });
    const audit = await db.auditEvent.findMany({ where: { targetId: batchId }, orderBy: { createdAt: "asc" }, select: { action: true, details: true } });
    expect(audit.map((a) => a.action)).toEqual(["batch.started", "batch.paused", "batch.cancelled"]);
    expect(audit[2]!.details).toMatchObject({ notSubmitted: 6 });
  });

  it("finishes a batch under its cap: DONE, every result on the batch's board", async () => {
    const { member } = await team();
    const { batchId } = await startBatch(member, { name: "Small", capCredits: 100, plan: matrix({ prompts: ["one"], aspectRatios: ["1:1"] }) });
    await expect.poll(async () => (await batchRow(batchId)).state, { timeout: 20_000, interval: 100 }).toBe("DONE");
    const batch = (await getBatch(member, batchId))!;
    expect(batch.tally).toMatchObject({ submitted: 2, succeeded: 2, inFlight: 0 });
    expect(batch.cells.map((c) => c.cell)).toEqual([0, 1]);
    expect(batch.cells.every((c) => c.media.length === 1)).toBe(true);
    expect(await db.media.count({ where: { boardId: batch.board!.id } })).toBe(2);
  });
});


describe("errors that would repeat", () => {
  it("pauses on a refusal that would repeat (the balance), with the provider's sentence", async () => {
    const { member } = await team();
    await sandboxHooks.credits(member.workspaceId, 0);
    const { batchId } = await startBatch(member, { name: "Broke", capCredits: 100, plan: matrix() });
    const result = await runBatchJob(await payloadOf(batchId));
    expect(result).toEqual({ done: true });
    const row = await batchRow(batchId);
    expect(row.state).toBe("PAUSED");
    expect(row.pauseReason).toMatch(/balance|credits/i);
    expect(await db.generation.count({ where: { batchId } })).toBe(0);
  });
});

describe("errors that would repeat, and those that pass", () => {
  it("pauses when one of its runs failed in a way the next would too (the provider out of credits)", async () => {
    const { member } = await team();
    const { batchId } = await startBatch(member, { name: "Drained", capCredits: 100, plan: matrix() });
    await runBatchJob(await payloadOf(batchId));
    const first = await db.generation.findFirstOrThrow({ where: { batchId, batchCell: 0 } });
    await db.generation.update({
      where: { id: first.id },
      data: { status: "FAILED", errorCause: "out_of_credits", errorMessage: "The RenderNet account has run out of credits.", chargedCredits: 0, chargeBasis: "NOT_ACCEPTED" },
    });
    expect(await runBatchJob(await payloadOf(batchId))).toEqual({ done: true });
    expect(await batchRow(batchId)).toMatchObject({ state: "PAUSED", pauseReason: "The RenderNet account has run out of credits.", nextCell: BATCH_IN_FLIGHT });
    await db.generation.updateMany({ where: { batchId }, data: { status: "CANCELLED" } });
  });

  it("waits, still running, when the provider asks it to slow down", async () => {
    const { member } = await team();
    const { batchId } = await startBatch(member, { name: "Patient", capCredits: 100, plan: matrix() });
    await sandboxHooks.faults(member.workspaceId, [{ method: "POST", path: "/rendernet/pub/v1/generations/estimate", fault: "rate_limit", retryAfter: 60 }]);
    const result = await runBatchJob(await payloadOf(batchId));
    expect(result).toHaveProperty("retryAt");
    expect(await batchRow(batchId)).toMatchObject({ state: "RUNNING", pauseReason: null, nextCell: 0 });
    await sandboxHooks.faults(member.workspaceId, []);
    await cancelBatch(member, batchId);
  });
});

describe("exactly once per cell", () => {
  it("a job run again after losing its progress finds each cell's run instead of submitting it twice", async () => {
    const { member } = await team();
    const { batchId } = await startBatch(member, { name: "Twice", capCredits: 1000, plan: matrix() });
    // Driven by hand (no worker), so the runs stay QUEUED and nothing reaches the provider.
    await runBatchJob(await payloadOf(batchId));
    expect(await db.generation.count({ where: { batchId } })).toBe(BATCH_IN_FLIGHT);
    // As if the job had died after recording its runs but before saving how far it got, and the runs had finished.
    await db.generation.updateMany({ where: { batchId }, data: { status: "SUCCEEDED", chargedCredits: 2, chargeBasis: "ESTIMATE" } });
    await db.batch.update({ where: { id: batchId }, data: { nextCell: 0 } });
    await runBatchJob(await payloadOf(batchId));
    expect(await db.generation.count({ where: { batchId } })).toBe(BATCH_IN_FLIGHT);
    expect((await batchRow(batchId)).nextCell).toBe(BATCH_IN_FLIGHT);
    await runBatchJob(await payloadOf(batchId));
    const cells = (await db.generation.findMany({ where: { batchId }, select: { batchCell: true } })).map((g) => g.batchCell);
    expect(cells.sort((a, b) => a! - b!)).toEqual([0, 1, 2, 3, 4, 5]);
    await cancelBatch(member, batchId);
  });
});

describe("pause, resume and cancel", () => {
  it("a pause stops the job; a resume (with a higher cap) starts a new one, and the old one ends by itself", async () => {
    const { member } = await team();
    const { batchId } = await startBatch(member, { name: "Pausable", capCredits: 4, plan: matrix() });
    const first = await payloadOf(batchId);
    await pauseBatch(member, batchId);
    expect(await runBatchJob(first)).toEqual({ done: true });
    expect(await db.generation.count({ where: { batchId } })).toBe(0);
    await expect(pauseBatch(member, batchId)).rejects.toThrow("This batch is paused, not running.");

    await resumeBatch(member, batchId, 50);
    const resumed = await batchRow(batchId);
    expect(resumed).toMatchObject({ state: "RUNNING", capCredits: 50, pauseReason: null });
    expect(await runBatchJob(first)).toEqual({ done: true }); // stale: a job from before the pause
    expect(await db.generation.count({ where: { batchId } })).toBe(0);
    expect(await db.job.count({ where: { queue: BATCH_QUEUE, key: `batch:${batchId}:${resumed.resumedAt.getTime()}` } })).toBe(1);
    await runBatchJob(await payloadOf(batchId));
    expect(await db.generation.count({ where: { batchId } })).toBe(BATCH_IN_FLIGHT);

    await cancelBatch(member, batchId);
    expect(await runBatchJob(await payloadOf(batchId))).toEqual({ done: true });
    await expect(resumeBatch(member, batchId)).rejects.toThrow("This batch is cancelled, not paused.");
    const actions = (await db.auditEvent.findMany({ where: { targetId: batchId }, orderBy: { createdAt: "asc" }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(["batch.started", "batch.paused", "batch.resumed", "batch.cancelled"]);
    await db.generation.updateMany({ where: { batchId }, data: { status: "CANCELLED" } });
  });

  it("only its author, an admin or an owner may change it; a viewer may only read it; another workspace finds nothing", async () => {
    const { member, admin, owner, viewer, outsider } = await team();
    const otherUser = await makeUser("Other member");
    await addMember(member.workspaceId, otherUser.id, "MEMBER");
    const other = await viewerFor(otherUser.id, member.workspaceId);
    const { batchId } = await startBatch(member, { name: "Guarded", capCredits: 10, plan: matrix() });
    await expect(pauseBatch(other, batchId)).rejects.toThrow("Only the batch's author, an admin or an owner can change it.");
    await expect(pauseBatch(viewer, batchId)).rejects.toThrow();
    await expect(pauseBatch(outsider, batchId)).rejects.toThrow("That batch was not found.");
    await expect(cancelBatch(outsider, batchId)).rejects.toThrow("That batch was not found.");
    expect(await getBatch(outsider, batchId)).toBeNull();
    expect((await getBatch(viewer, batchId))!.canControl).toBe(false);
    expect((await getBatch(other, batchId))!.canControl).toBe(false);
    expect((await getBatch(admin, batchId))!.canControl).toBe(true);
    await pauseBatch(admin, batchId);
    await resumeBatch(owner, batchId);
    await cancelBatch(member, batchId);
    expect((await batchRow(batchId)).state).toBe("CANCELLED");
  });
});
