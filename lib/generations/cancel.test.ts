import { sandboxHooks, CREATE_PATH, createCalls, removeTestFolders } from "@/lib/generations/test-support";
import { createHash, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/authz";
import { settleDenials } from "@/lib/data/denials";
import { sandboxFetch } from "@/lib/connections/sandbox";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { setConnectionOverridesForTests } from "@/lib/connections/testing";
import { cancelGeneration, cancelTimings, runCancelJob } from "@/lib/generations/cancel";
import { createAsset } from "@/lib/generations/assets";
import { estimateGeneration } from "@/lib/generations/estimate";
import { listRecentGenerations } from "@/lib/data/generations";
import { submitGeneration } from "@/lib/generations/submit";
import { generationQueues, generationTimings } from "@/lib/generations/worker";
import { chargeLabel, withheldSentence } from "@/lib/generations-client/charge-label";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import type { GenerationRequest } from "@/lib/validation/generations";
import { makePng } from "@/sandbox/test-support";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

// Actions are called as a browser would; only the session is faked (see lib/actions/action-client.test.ts).
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { cancelGenerationAction } = await import("@/lib/actions/generations");

generationTimings.pollDelayMs = () => 150;
generationTimings.submitRetryMs = () => 200;

let worker: WorkerHandle | null = null;
const start = () => (worker = startWorker({ queues: generationQueues, concurrency: 4, pollMs: 50, leaseMs: 5000, stopTimeoutMs: 300 }));
async function stop() {
  await worker?.stop();
  worker = null;
}

beforeAll(start);
afterAll(async () => {
  await stop();
  await removeTestFolders();
});
beforeEach(() => {
  session.userId = null;
});
afterEach(async () => {
  setConnectionOverridesForTests(undefined);
  if (!worker) start();
});

const FINAL = ["SUCCEEDED", "FAILED", "REFUSED", "CANCELLED"];

async function newViewer(): Promise<Viewer> {
  const user = await makeUser();
  return viewerFor(user.id, user.personal.id);
}

function waitFor(generationId: string, done: (row: { status: string; chargeBasis: string | null }) => boolean, timeoutMs = 15_000) {
  return vi.waitFor(
    async () => {
      const row = await db.generation.findUniqueOrThrow({ where: { id: generationId }, include: { media: { orderBy: { position: "asc" } } } });
      if (!done(row)) throw new Error(`generation still ${row.status} after ${timeoutMs} ms`);
      return row;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
const waitFinal = (id: string, timeoutMs?: number) => waitFor(id, (row) => FINAL.includes(row.status), timeoutMs);

const imageRun = (prompt = "a lighthouse at dusk", batchSize = 1): GenerationRequest => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" }, // SDXL, Regular: 2 credits an image in the sandbox
    prompt,
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize,
    seed: 11,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

const submit = (viewer: Viewer, run: GenerationRequest = imageRun()) => submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run });

async function controlNetRun(viewer: Viewer, prompt: string, batch: number): Promise<GenerationRequest> {
  const asset = await createAsset(viewer, new File([new Uint8Array(await makePng(320, 320))], "ref.png", { type: "image/png" }));
  return {
    tool: "CONTROLNET",
    params: { kind: "canny", image: { kind: "asset", id: asset.id }, prompt, negativePrompt: "", guidance: 7, batch, strength: 0.8, steps: 20, gpu: "a10g" },
  };
}

const generationPath = (providerGenerationId: string) => `${CREATE_PATH}/${providerGenerationId}`;
const callsTo = async (workspaceId: string, path: string, method: string) => (await sandboxHooks.calls(workspaceId, path)).filter((c) => c.method === method);
const auditRows = (workspaceId: string, action: string) => db.auditEvent.findMany({ where: { workspaceId, action }, orderBy: { id: "asc" } });
const jobsOf = (generationId: string) => db.job.count({ where: { key: { in: [`generation:${generationId}`, `generation-cancel:${generationId}`] } } });

/** A fetch that holds the first create until `release` is called, then answers it with `answer` (default: the sandbox's). */
function holdCreates(answer?: () => Response) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  setConnectionOverridesForTests({
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (first && request.method === "POST" && new URL(request.url).pathname.endsWith("/pub/v1/generations")) {
        first = false;
        await released;
        if (answer) return answer();
      }
      return sandboxFetch(request); // any later create reaches the sandbox, whose call log would show it
    },
  });
  return release;
}

describe("cancel before the create is sent", () => {
  it("cancels a queued run in one update: the job finds it final, the provider never sees a create, nothing is charged", async () => {
    await stop();
    const viewer = await newViewer();
    const run = await submit(viewer);
    expect(await cancelGeneration(viewer, run.generationId)).toEqual({ generationId: run.generationId, status: "CANCELLED", cancelling: false });
    expect(await db.generation.findUniqueOrThrow({ where: { id: run.generationId } })).toMatchObject({
      status: "CANCELLED",
      chargedCredits: 0,
      chargeBasis: "NOT_SENT",
      sentAt: null,
    });
    start();
    await expect.poll(() => jobsOf(run.generationId), { timeout: 5000 }).toBe(0);
    expect(await createCalls(viewer.workspaceId)).toHaveLength(0);
    // Repeating it changes nothing and writes no second entry.
    expect(await cancelGeneration(viewer, run.generationId)).toMatchObject({ status: "CANCELLED", cancelling: false });
    const entries = await auditRows(viewer.workspaceId, "generation.cancelled");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: viewer.userId, targetType: "generation", targetId: run.generationId, details: { tool: "IMAGE", provider: "RenderNet", sent: false } });
    const [summary] = await listRecentGenerations(viewer, { limit: 1 });
    expect(summary).toMatchObject({ status: "CANCELLED", canCancel: false, charge: { credits: 0, refunded: null, basis: "NOT_SENT" } });
    expect(chargeLabel(summary!).text).toBe("Not charged");
  });

  it("never sends a create for a run whose create was refused with a 429 while the cancel waited", async () => {
    // The worker alone must hold it back: the cancel job does not look again within this test.
    const recheck = cancelTimings.recheckMs;
    cancelTimings.recheckMs = 60_000;
    onTestFinished(() => void (cancelTimings.recheckMs = recheck));
    const viewer = await newViewer();
    const release = holdCreates(() => new Response(JSON.stringify({ data: null, err: { message: "slow down" } }), { status: 429, headers: { "Retry-After": "0" } }));
    const run = await submit(viewer);
    await waitFor(run.generationId, (row) => row.status === "SUBMITTING");
    expect(await cancelGeneration(viewer, run.generationId)).toMatchObject({ status: "SUBMITTING", cancelling: true });
    release();
    const done = await waitFinal(run.generationId);
    expect(done).toMatchObject({ status: "CANCELLED", chargedCredits: 0, chargeBasis: "NOT_SENT" });
    expect(await createCalls(viewer.workspaceId)).toHaveLength(0); // the 429 came from the held fetch: the sandbox saw nothing
    await expect.poll(() => db.job.count({ where: { key: `generation:${run.generationId}` } }), { timeout: 5000 }).toBe(0);
  });
});

describe("cancel at the provider", () => {
  it("RenderNet: stops polling, deletes the provider's generation, drops pending results and keeps the charge it knows", async () => {
    const viewer = await newViewer();
    await sandboxHooks.schedule(viewer.workspaceId, { finalAfterMs: 120_000 });
    // A balance read before the send, so the create's credits_remaining confirms the price (BALANCE).
    await estimateGeneration(viewer, imageRun("slow"));
    await expect.poll(() => db.balanceSnapshot.count({ where: { workspaceId: viewer.workspaceId } })).toBe(1);
    const run = await submit(viewer, imageRun("slow", 2));
    const running = await waitFor(run.generationId, (row) => row.status === "RUNNING");
    expect(running).toMatchObject({ chargedCredits: 4, chargeBasis: "BALANCE" });
    expect(running.media.map((m) => m.status)).toEqual(["PENDING", "PENDING"]);

    expect(await cancelGeneration(viewer, run.generationId)).toMatchObject({ status: "CANCELLING", cancelling: true });
    const done = await waitFinal(run.generationId);
    expect(done).toMatchObject({ status: "CANCELLED", chargedCredits: 4, refundedCredits: 0, chargeBasis: "BALANCE" });
    expect(done.media).toEqual([]);
    const path = generationPath(running.providerGenerationId!);
    expect(await callsTo(viewer.workspaceId, path, "DELETE")).toHaveLength(1);
    // No more polling once cancelled: the run's jobs end, and no status read follows.
    await expect.poll(() => jobsOf(run.generationId), { timeout: 5000 }).toBe(0);
    const polls = (await callsTo(viewer.workspaceId, path, "GET")).length;
    // A fixed wait on purpose: it proves that no status read follows within it, which no poll can show.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await callsTo(viewer.workspaceId, path, "GET")).toHaveLength(polls);
    expect(await createCalls(viewer.workspaceId)).toHaveLength(1);
    expect(await auditRows(viewer.workspaceId, "generation.cancelled")).toEqual([expect.objectContaining({ details: { tool: "IMAGE", provider: "RenderNet", sent: true } })]);
    const [summary] = await listRecentGenerations(viewer, { limit: 1 });
    expect(chargeLabel(summary!).text).toBe("Charged 4 credits");
  });

  it("records a refund when the balance shows the charge came back after the DELETE", async () => {
    const viewer = await newViewer();
    await sandboxHooks.schedule(viewer.workspaceId, { finalAfterMs: 120_000 });
    setConnectionOverridesForTests({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const response = await sandboxFetch(request);
        // A provider that refunds a deleted generation: its balance is whole again.
        if (request.method === "DELETE") await sandboxHooks.credits(viewer.workspaceId, 500);
        return response;
      },
    });
    const run = await submit(viewer);
    await waitFor(run.generationId, (row) => row.status === "RUNNING");
    await cancelGeneration(viewer, run.generationId);
    const done = await waitFinal(run.generationId);
    expect(done).toMatchObject({ status: "CANCELLED", chargedCredits: 0, refundedCredits: 2 });
    const [summary] = await listRecentGenerations(viewer, { limit: 1 });
    expect(chargeLabel(summary!).text).toBe("Refunded");
  });

  it("a create on its way when the cancel comes: the run is cancelled once the provider has it, one create and one DELETE", async () => {
    const viewer = await newViewer();
    await sandboxHooks.schedule(viewer.workspaceId, { finalAfterMs: 120_000 });
    const release = holdCreates();
    const run = await submit(viewer);
    await waitFor(run.generationId, (row) => row.status === "SUBMITTING");
    expect(await cancelGeneration(viewer, run.generationId)).toMatchObject({ status: "SUBMITTING", cancelling: true });
    const [summary] = await listRecentGenerations(viewer, { limit: 1 });
    expect(summary).toMatchObject({ status: "SUBMITTING", cancelRequested: true, canCancel: false });
    release();
    const done = await waitFinal(run.generationId);
    expect(done).toMatchObject({ status: "CANCELLED", chargedCredits: 2 });
    expect(await createCalls(viewer.workspaceId)).toHaveLength(1);
    expect(await callsTo(viewer.workspaceId, generationPath(done.providerGenerationId!), "DELETE")).toHaveLength(1);
  });

  it("Qolaba: it cannot stop a task, so the run just ends cancelled, no longer polled, its charge unknown", async () => {
    const viewer = await newViewer();
    await sandboxHooks.schedule(viewer.workspaceId, { finalAfterMs: 120_000 });
    const run = await submit(viewer, await controlNetRun(viewer, "a neon city", 2));
    const running = await waitFor(run.generationId, (row) => row.status === "RUNNING");
    expect(running.media.map((m) => m.status)).toEqual(["PENDING", "PENDING"]);
    await cancelGeneration(viewer, run.generationId);
    const done = await waitFinal(run.generationId);
    expect(done).toMatchObject({ status: "CANCELLED", chargedCredits: null, chargeBasis: "UNKNOWN" });
    expect(done.media).toEqual([]);
    await expect.poll(() => jobsOf(run.generationId), { timeout: 5000 }).toBe(0);
    const polls = (await callsTo(viewer.workspaceId, "/qolaba/getImage", "POST")).length;
    // A fixed wait on purpose, as above: no status read may come within it.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await callsTo(viewer.workspaceId, "/qolaba/getImage", "POST")).toHaveLength(polls);
    const [summary] = await listRecentGenerations(viewer, { limit: 1 });
    expect(summary).toMatchObject({ provider: "QOLABA", status: "CANCELLED" });
    expect(chargeLabel(summary!).text).toBe("Charge unknown");
  });
});

describe("cancel racing the worker", () => {
  it("leaves a run that finished first alone: its results are kept", async () => {
    const viewer = await newViewer();
    const run = await submit(viewer);
    expect((await waitFinal(run.generationId)).status).toBe("SUCCEEDED");
    await expect(cancelGeneration(viewer, run.generationId)).rejects.toMatchObject({ code: "conflict", message: "This run has already finished; its results are kept." });
    expect(await auditRows(viewer.workspaceId, "generation.cancelled")).toHaveLength(0);
  });

  it("a run whose results all arrived while it was being cancelled keeps them: SUCCEEDED, nothing deleted at the provider", async () => {
    await stop();
    const viewer = await newViewer();
    // As the worker leaves a run whose results are in but which it has not marked finished yet.
    const generation = await db.generation.create({
      data: {
        workspaceId: viewer.workspaceId,
        createdById: viewer.userId,
        tool: "IMAGE",
        provider: "RENDERNET",
        status: "RUNNING",
        idempotencyKey: randomUUID(),
        params: {},
        estimatedCredits: 2,
        chargedCredits: 2,
        chargeBasis: "ESTIMATE",
        providerGenerationId: "gen_finished_meanwhile",
        sentAt: new Date(),
        media: { create: [{ workspaceId: viewer.workspaceId, position: 0, kind: "IMAGE", status: "READY", tool: "IMAGE", storageKey: "k", thumbKey: "t" }] },
      },
    });
    expect(await cancelGeneration(viewer, generation.id)).toMatchObject({ status: "CANCELLING" });
    expect(await runCancelJob({ generationId: generation.id, since: Date.now() })).toEqual({ done: true });
    const done = await db.generation.findUniqueOrThrow({ where: { id: generation.id }, include: { media: true } });
    expect(done).toMatchObject({ status: "SUCCEEDED", chargedCredits: 2 });
    expect(done.media.map((m) => m.status)).toEqual(["READY"]);
    expect(await callsTo(viewer.workspaceId, generationPath("gen_finished_meanwhile"), "DELETE")).toHaveLength(0);
    const [summary] = await listRecentGenerations(viewer, { limit: 1 });
    expect(summary).toMatchObject({ status: "SUCCEEDED", cancelRequested: true });
  });

  it("cancelled at moments spread over a run's life, every run ends cancelled or finished, never half-way, and no cancelled-before-send run is sent", async () => {
    const viewer = await newViewer();
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => submit(viewer, imageRun(`race ${i}`))));
    const answers = await Promise.all(
      runs.map(async (run, i) => {
        // Not a wait for anything: the cancels are spread in time on purpose, to land at different moments of a run.
        await new Promise((resolve) => setTimeout(resolve, i * 120));
        return cancelGeneration(viewer, run.generationId).then(
          (result) => result.status,
          (error: { code?: string }) => error.code,
        );
      }),
    );
    for (const answer of answers) expect(["CANCELLED", "CANCELLING", "SUBMITTING", "RECONCILING", "conflict"]).toContain(answer);
    const rows = await Promise.all(runs.map((run) => waitFinal(run.generationId)));
    for (const [i, row] of rows.entries()) {
      expect(["CANCELLED", "SUCCEEDED"]).toContain(row.status);
      if (row.status === "SUCCEEDED") expect(row.media.every((m) => m.status === "READY")).toBe(true);
      else expect(row.media.some((m) => m.status === "PENDING")).toBe(false);
      if (answers[i] === "conflict") expect(row.status).toBe("SUCCEEDED");
      // Settled, and charged exactly when the provider accepted it.
      expect(row.chargeBasis).not.toBeNull();
      expect(row.chargedCredits).toBe(row.providerGenerationId ? 2 : 0);
    }
    const creates = await createCalls(viewer.workspaceId);
    expect(creates).toHaveLength(rows.filter((row) => row.chargeBasis !== "NOT_SENT").length);
    const created = new Set(creates.flatMap((call) => call.generation_ids ?? []));
    for (const row of rows) expect(created.has(row.providerGenerationId ?? "")).toBe(row.chargeBasis !== "NOT_SENT");
    for (const run of runs) await expect.poll(() => jobsOf(run.generationId), { timeout: 5000 }).toBe(0);
  });
});

describe("who may cancel", () => {
  async function team() {
    const owner = await makeUser("Olive Owner");
    const admin = await makeUser("Adam Admin");
    const member = await makeUser("Mia Member");
    const other = await makeUser("Otto Other");
    const guest = await makeUser("Vic Viewer");
    const workspace = await makeTeam(owner.id);
    await addMember(workspace.id, admin.id, "ADMIN");
    await addMember(workspace.id, member.id, "MEMBER");
    await addMember(workspace.id, other.id, "MEMBER");
    await addMember(workspace.id, guest.id, "VIEWER");
    const as = (user: { id: string }) => viewerFor(user.id, workspace.id);
    return { owner, admin, member, other, guest, workspace, as };
  }

  it("the author, an admin or an owner; another member and a viewer are refused; another workspace's id answers like a missing one", async () => {
    await stop();
    const t = await team();
    const mine = await t.as(t.member);
    const runs = await Promise.all([submit(mine), submit(mine), submit(mine), submit(mine)]);
    const [byAuthor, byAdmin, byOwner, untouched] = runs.map((r) => r.generationId) as [string, string, string, string];

    await expect(cancelGeneration(await t.as(t.other), byAuthor)).rejects.toMatchObject({ code: "forbidden" });
    await expect(cancelGeneration(await t.as(t.guest), byAuthor)).rejects.toMatchObject({ code: "forbidden" });
    const panel = async (user: { id: string }) => Object.fromEntries((await listRecentGenerations(await t.as(user), { limit: 10 })).map((g) => [g.id, g.canCancel]));
    expect((await panel(t.other))[untouched]).toBe(false);
    expect((await panel(t.guest))[untouched]).toBe(false);
    expect((await panel(t.admin))[untouched]).toBe(true);
    expect((await panel(t.member))[untouched]).toBe(true);

    await cancelGeneration(mine, byAuthor);
    await cancelGeneration(await t.as(t.admin), byAdmin);
    await cancelGeneration(await t.as(t.owner), byOwner);
    const entries = await auditRows(t.workspace.id, "generation.cancelled");
    expect(entries.map((e) => [e.actorId, e.targetId, (e.details as { author?: string }).author])).toEqual([
      [t.member.id, byAuthor, undefined],
      [t.admin.id, byAdmin, t.member.id],
      [t.owner.id, byOwner, t.member.id],
    ]);

    // Another workspace's run: the same answer as a missing id, recorded as a probe in the workspace that owns it.
    const stranger = await newViewer();
    const foreign = await cancelGeneration(stranger, untouched).catch((error: Error) => error.message);
    const missing = await cancelGeneration(stranger, "no-such-run").catch((error: Error) => error.message);
    expect(foreign).toBe(missing);
    expect(foreign).toBe("That run was not found.");
    await settleDenials();
    expect(await auditRows(t.workspace.id, "access.foreign_id")).toEqual([expect.objectContaining({ actorId: stranger.userId })]);
    expect((await db.generation.findUniqueOrThrow({ where: { id: untouched } })).status).toBe("QUEUED");
  });

  it("is refused through the action itself, with the refusal in the audit log", async () => {
    await stop();
    const t = await team();
    const run = await submit(await t.as(t.member));
    session.userId = t.other.id;
    expect(await cancelGenerationAction({ workspace: t.workspace.slug, generationId: run.generationId })).toMatchObject({ ok: false, code: "forbidden" });
    session.userId = t.guest.id;
    expect(await cancelGenerationAction({ workspace: t.workspace.slug, generationId: run.generationId })).toMatchObject({ ok: false, code: "forbidden" });
    for (const bad of ["", "x".repeat(65), 42]) {
      expect(await cancelGenerationAction({ workspace: t.workspace.slug, generationId: bad as string })).toMatchObject({ ok: false });
    }
    await settleDenials();
    expect((await auditRows(t.workspace.id, "access.forbidden")).map((e) => e.actorId)).toEqual(expect.arrayContaining([t.other.id, t.guest.id]));
    session.userId = t.member.id;
    expect(await cancelGenerationAction({ workspace: t.workspace.slug, generationId: run.generationId })).toEqual({
      ok: true,
      data: { generationId: run.generationId, status: "CANCELLED", cancelling: false },
    });
  });
});

describe("Qolaba images withheld by its safety filter", () => {
  it("matches results to slots by the NSFW flags: 1 of 3 withheld in the middle, slots 0 and 2 get their own images", async () => {
    const viewer = await newViewer();
    const run = await submit(viewer, await controlNetRun(viewer, "a beach [sandbox:nsfw:2]", 3));
    const done = await waitFinal(run.generationId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.media.map((m) => m.status)).toEqual(["READY", "REFUSED", "READY"]);
    // The provider's surviving URLs, in order, are images 1 and 3: their bytes are what slots 0 and 2 hold.
    const connection = await getWorkspaceConnection(viewer.workspaceId);
    const task = await connection.qolaba.getTask(done.providerTaskId!);
    expect(task.urls).toHaveLength(2);
    const sha = async (url: string) => createHash("sha256").update(Buffer.from(await (await sandboxFetch(url)).arrayBuffer())).digest("hex");
    const [first, third] = await Promise.all(task.urls.map(sha));
    expect(first).not.toBe(third);
    expect([done.media[0]!.checksum, done.media[2]!.checksum]).toEqual([first, third]);
    const [summary] = await listRecentGenerations(viewer, { limit: 1 });
    expect(withheldSentence(summary!.media)).toBe("1 of 3 images was withheld by the provider's safety filter");
    expect(summary!.media[1]).toMatchObject({ status: "REFUSED", thumbUrl: null, originalUrl: null });
  });
});

describe("charges of refused and failed runs, and the balance", () => {
  it("a create refused for lack of credits is not charged; a censored result was charged, its refund not known", async () => {
    await stop();
    const viewer = await newViewer();
    const refused = await submit(viewer, imageRun("refused at create"));
    await sandboxHooks.credits(viewer.workspaceId, 1);
    start();
    expect(await waitFinal(refused.generationId)).toMatchObject({ status: "FAILED", chargedCredits: 0, chargeBasis: "NOT_ACCEPTED" });
    await sandboxHooks.credits(viewer.workspaceId, 500);
    const censored = await submit(viewer, imageRun("x [sandbox:censor]"));
    const done = await waitFinal(censored.generationId);
    expect(done).toMatchObject({ status: "REFUSED", chargedCredits: 2, refundedCredits: null });
    const list = await listRecentGenerations(viewer, { limit: 2 });
    expect(list.map((g) => chargeLabel(g).text)).toEqual(["Charged 2 credits (refund not known)", "Not charged"]);
  });

  it("a finished run's credits_remaining is the balance the form's cached estimate shows, without asking the provider again", async () => {
    const viewer = await newViewer();
    const estimatePath = `${CREATE_PATH}/estimate`;
    expect(await estimateGeneration(viewer, imageRun("fresh balance"))).toMatchObject({ credits: 2, balance: 500 });
    const run = await submit(viewer, imageRun("fresh balance"));
    expect((await waitFinal(run.generationId)).status).toBe("SUCCEEDED");
    const asked = (await callsTo(viewer.workspaceId, estimatePath, "POST")).length;
    await expect.poll(async () => (await estimateGeneration(viewer, imageRun("fresh balance"))).balance).toBe(498);
    expect(await callsTo(viewer.workspaceId, estimatePath, "POST")).toHaveLength(asked); // the cached estimate, with the new balance
  });
});
