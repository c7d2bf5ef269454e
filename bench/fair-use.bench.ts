import { vi } from "vitest";

// The sandbox provider runs in its own process on this loopback port (see below); the app addresses it as it
// addresses the mounted one (http://127.0.0.1:<PORT>/sandbox/...). Set before lib/env.ts is first read.
const SANDBOX_PORT = vi.hoisted(() => {
  // A's provider process is on the next port: its result URLs are loopback URLs the checked client must be allowed to
  // fetch (lib/net), as a development set-up would allow them.
  process.env.ATELIER_OUTBOUND_ALLOW_PRIVATE ??= "127.0.0.1/32";
  process.env.ATELIER_DOWNLOAD_HOSTS ??= "127.0.0.1";
  return (process.env.PORT = process.env.BENCH_SANDBOX_PORT ?? "4150");
});

import "@/lib/generations/test-support";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { sandboxApiKey } from "@/lib/connections/sandbox";
import { setConnectionOverridesForTests } from "@/lib/connections/testing";
import { db } from "@/lib/db";
import { listGallery } from "@/lib/data/gallery";
import { EMPTY_FILTERS } from "@/lib/gallery/view-params";
import { submitGeneration } from "@/lib/generations/submit";
import { BUSY_MESSAGE, fairUseRules } from "@/lib/generations/submit-limits";
import { generationQueues } from "@/lib/generations/worker";
import { CLAIM_STATEMENT, claimJobs } from "@/lib/jobs/queue";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import type { Viewer } from "@/lib/authz";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

/**
 * Fair use, measured: workspace B's experience while workspace A floods, against B's own quiet baseline, in one run,
 * through the app's real pieces (submitGeneration with its limits and turns, the job worker as lib/startup.ts starts
 * it, listGallery) and the sandbox provider.
 *   quiet — B's 4 members submit a run every PACE_MS in turn, and B's first gallery page is read back to back;
 *   flood — the same, while A's 5 members fire 150 submits over 5.7 s as in the finding (BENCH_FLOOD_SPREAD_MS=0
 *           fires them in one instant) and the worker works through what was accepted.
 * The phases alternate ROUNDS times (a neighbour's load on a shared machine falls on both alike) and each waits for
 * the previous one's jobs to finish. Figures: p50 / p95 of B's submit and gallery list over all quiet and all flood
 * phases and their ratios (target ≤ 1.5×), B's submit → create sent, what A got through, A's creates per second at
 * the provider; then the claim statement's cost with 100,000 due jobs, and its plan.
 * The provider: a real one renders on its own machines, and its accounts do not share one server queue. So the
 * sandbox runs out of this process (its rendering would otherwise share the event loop and thread pool with what is
 * measured), one process per provider account: B's at normal priority, A's at the lowest CPU priority (it renders
 * A's images only with CPU nothing else here wants). They still share the machine with Atelier.
 * Run: npm run bench:fair-use   (figures also written to bench/results/fair-use.json)
 */

const FLOOD = Number(process.env.BENCH_FLOOD ?? 150);
/** Over how long A's submits are fired: the finding's 150 in 5.7 s by default; 0 fires them all in one instant. */
const FLOOD_SPREAD_MS = Number(process.env.BENCH_FLOOD_SPREAD_MS ?? 5700);
const B_SUBMITS = Number(process.env.BENCH_B_SUBMITS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// B: 4 members, a run every 0.8 s in turn: 75 a minute for the workspace, about 19 per member, under the limits.
const PACE_MS = 800;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: +at(0.5).toFixed(1), p95: +at(0.95).toFixed(1), max: +at(1).toFixed(1) };
}

const imageRun = (prompt: string) => ({
  tool: "IMAGE" as const,
  params: {
    base: { kind: "model" as const, name: "JuggernautXL", baseModel: "sdxl" },
    prompt,
    negativePrompt: "",
    aspectRatio: "1:1" as const,
    batchSize: 1,
    seed: 1,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

async function teamOf(name: string, members: number): Promise<Viewer[]> {
  const owner = await makeUser(`${name} owner`);
  const workspace = await makeTeam(owner.id, `${name} ${randomUUID().slice(0, 6)}`);
  const viewers = [await viewerFor(owner.id, workspace.id)];
  for (let i = 1; i < members; i++) {
    const user = await makeUser(`${name} member ${i}`);
    await addMember(workspace.id, user.id, "MEMBER");
    viewers.push(await viewerFor(user.id, workspace.id));
  }
  return viewers;
}

/** 240 finished gallery items for B, inserted directly (no provider involved). */
async function seedGallery(viewer: Viewer) {
  for (let i = 0; i < 240; i++) {
    const generation = await db.generation.create({
      data: { workspaceId: viewer.workspaceId, createdById: viewer.userId, tool: "IMAGE", provider: "RENDERNET", status: "SUCCEEDED", idempotencyKey: randomUUID(), params: {}, prompt: `seeded ${i}` },
    });
    await db.media.create({
      data: { workspaceId: viewer.workspaceId, generationId: generation.id, position: 0, kind: "IMAGE", status: "READY", tool: "IMAGE", prompt: `seeded ${i}`, createdById: viewer.userId },
    });
  }
}

/** B's pace: a run every PACE_MS from its members in turn, the gallery's first page read back to back in between. */
async function measureB(members: Viewer[], label: string) {
  const submit: number[] = [];
  const gallery: number[] = [];
  const runs: { id: string; startedAt: number }[] = [];
  let stop = false;
  const reader = (async () => {
    while (!stop) {
      const t = performance.now();
      await listGallery(members[0]!, EMPTY_FILTERS, null);
      gallery.push(performance.now() - t);
      await sleep(20);
    }
  })();
  for (let i = 0; i < B_SUBMITS; i++) {
    const next = Date.now() + PACE_MS;
    const startedAt = Date.now();
    const t = performance.now();
    const result = await submitGeneration(members[i % members.length]!, { idempotencyKey: randomUUID(), boardId: null, run: imageRun(`${label} ${i}`) });
    submit.push(performance.now() - t);
    runs.push({ id: result.generationId, startedAt });
    await sleep(Math.max(0, next - Date.now()));
  }
  stop = true;
  await reader;
  return { submit, gallery, runs };
}

/** Submit → create sent, for runs whose create has been sent (waits up to 30 s for the rest). */
async function toSent(runs: { id: string; startedAt: number }[]): Promise<number[]> {
  const until = Date.now() + 30_000;
  for (;;) {
    const rows = await db.generation.findMany({ where: { id: { in: runs.map((r) => r.id) } }, select: { id: true, sentAt: true } });
    if (rows.every((row) => row.sentAt) || Date.now() > until) {
      const sent = new Map(rows.map((row) => [row.id, row.sentAt?.getTime() ?? null]));
      return runs.flatMap((run) => (sent.get(run.id) ? [sent.get(run.id)! - run.startedAt] : []));
    }
    await sleep(200);
  }
}

async function drained(workspaceIds: string[], timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await db.job.count({ where: { groupKey: { in: workspaceIds } } })) === 0) return true;
    await sleep(250);
  }
  return false;
}

/** The claim statement with 100,000 due jobs in 6 groups and 300 groups whose jobs are not due yet. */
async function claimCost() {
  const queue = `bench.claim.${randomUUID().slice(0, 8)}`;
  await db.$executeRawUnsafe(
    `INSERT INTO "Job" ("queue", "groupKey", "payload", "runAt", "updatedAt")
     SELECT $1, 'g' || (i % 3)::text || CASE WHEN i % 100 = 0 THEN 'b' ELSE '' END, '{}'::jsonb,
            now() - interval '1 hour' + i * interval '1 ms', now()
       FROM generate_series(1, 100000) i`,
    queue,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "Job" ("queue", "groupKey", "payload", "runAt", "updatedAt")
     SELECT $1, 'later' || i::text, '{}'::jsonb, now() + interval '1 hour', now() FROM generate_series(1, 300) i`,
    queue,
  );
  await db.$executeRawUnsafe(`ANALYZE "Job"`);
  try {
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      await claimJobs(`bench-claimer-${i % 4}`, [queue], 4, 60_000, { perGroup: 3 });
      samples.push(performance.now() - t);
    }
    const plan = await db.$queryRawUnsafe<Record<string, string>[]>(`EXPLAIN (ANALYZE, BUFFERS) ${CLAIM_STATEMENT}`, "bench-explain", 60_000, [queue], 4, 3);
    return { dueJobs: 100_000, groups: 306, claim: stats(samples), plan: plan.map((row) => Object.values(row)[0]) };
  } finally {
    await db.$executeRawUnsafe(`DELETE FROM "Job" WHERE "queue" = $1`, queue);
  }
}

/** `tsx sandbox/server.ts` on `port` with a fresh data folder and the fast schedule, at CPU priority `nice`. */
async function startSandboxProcess(port: string, nice: number): Promise<{ child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "atelier-bench-sandbox-"));
  const child = spawn(
    process.execPath,
    [path.resolve("node_modules/tsx/dist/cli.mjs"), "sandbox/server.ts", "--port", port, "--host", "127.0.0.1", "--base-path", "/sandbox", "--fast", "--data-dir", dataDir],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  os.setPriority(child.pid!, nice);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the sandbox process did not start within 30 s")), 30_000);
    child.once("exit", (code) => reject(new Error(`the sandbox process exited (${code})`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, dataDir };
}

function stopSandboxProcess(sandbox: { child: ChildProcess; dataDir: string } | undefined) {
  if (!sandbox) return;
  sandbox.child.kill("SIGTERM");
  rmSync(sandbox.dataDir, { recursive: true, force: true });
}

it("keeps workspace B's submit and gallery within 1.5× of quiet while workspace A floods", async () => {
  const rules = fairUseRules();
  let worker: WorkerHandle | undefined;
  let sandboxB: Awaited<ReturnType<typeof startSandboxProcess>> | undefined;
  let sandboxA: Awaited<ReturnType<typeof startSandboxProcess>> | undefined;
  try {
    // Two provider accounts, as at a real provider whose accounts do not share one server: B's (and the warm-up's)
    // on SANDBOX_PORT, A's on the next port at the lowest CPU priority, since a real provider renders A's images on
    // its own machines, not on this one.
    sandboxB = await startSandboxProcess(SANDBOX_PORT, 0);
    sandboxA = await startSandboxProcess(String(Number(SANDBOX_PORT) + 1), 19);
    const teamA = await teamOf("A", 5);
    const teamB = await teamOf("B", 4);
    const keyOfA = sandboxApiKey(teamA[0]!.workspaceId);
    // Every provider call goes over loopback HTTP instead of to the in-process handler; A's to A's process.
    setConnectionOverridesForTests({
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (request.headers.get("x-api-key") !== keyOfA) return fetch(request);
        const url = new URL(request.url);
        url.port = String(Number(SANDBOX_PORT) + 1);
        return fetch(new Request(url, request));
      },
    });
    await seedGallery(teamB[0]!);
    // The worker as lib/startup.ts starts it in every server process.
    worker = startWorker({ queues: generationQueues, concurrency: 4 });
    const loadBefore = os.loadavg();
    // Warm-up (catalogue cache, connections, JIT), with B's other workspace-mates idle.
    await submitGeneration(teamB[0]!, { idempotencyKey: randomUUID(), boardId: null, run: imageRun("warm-up") });
    for (let i = 0; i < 20; i++) await listGallery(teamB[0]!, EMPTY_FILTERS, null);
    await drained([teamB[0]!.workspaceId], 30_000);

    // Quiet and flood phases alternate, so that a neighbour's load on a shared machine falls on both alike.
    const quiet = { submit: [] as number[], gallery: [] as number[], toSent: [] as number[] };
    const loud = { submit: [] as number[], gallery: [] as number[], toSent: [] as number[] };
    const floods: { results: PromiseSettledResult<unknown>[]; ms: number }[] = [];
    const perRound: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const q = await measureB(teamB, `quiet ${round}`);
      const qSent = await toSent(q.runs);
      await drained([teamB[0]!.workspaceId], 60_000);

      // The flood: A's members fire FLOOD submits in turn over FLOOD_SPREAD_MS (without waiting for the answers),
      // while B goes on as before.
      const floodStarted = Date.now();
      const flood = Promise.allSettled(
        Array.from({ length: FLOOD }, async (_, i) => {
          await sleep((i * FLOOD_SPREAD_MS) / FLOOD);
          return submitGeneration(teamA[i % teamA.length]!, { idempotencyKey: randomUUID(), boardId: null, run: imageRun(`flood ${round}.${i}`) });
        }),
      ).then((results) => ({ results, ms: Date.now() - floodStarted }));
      const f = await measureB(teamB, `loud ${round}`);
      floods.push(await flood);
      const fSent = await toSent(f.runs);
      await drained([teamA[0]!.workspaceId, teamB[0]!.workspaceId], 120_000);

      quiet.submit.push(...q.submit);
      quiet.gallery.push(...q.gallery);
      quiet.toSent.push(...qSent);
      loud.submit.push(...f.submit);
      loud.gallery.push(...f.gallery);
      loud.toSent.push(...fSent);
      // Where the flood phase's slowest submits fell: [ms after the flood began, ms the submit took].
      const slowest = f.runs
        .map((run, i) => [run.startedAt - floodStarted, Math.round(f.submit[i]!)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4);
      perRound.push({ quiet: { submit: stats(q.submit), gallery: stats(q.gallery) }, flood: { submit: stats(f.submit), gallery: stats(f.gallery), slowest } });
    }
    const loadAfter = os.loadavg();

    const refusals = floods.flatMap((f) => f.results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error)?.message ?? r.reason)] : [])));
    const sentAt = await db.generation.findMany({ where: { workspaceId: teamA[0]!.workspaceId, sentAt: { not: null } }, select: { sentAt: true } });
    const perSecond = new Map<number, number>();
    for (const { sentAt: at } of sentAt) {
      const second = Math.floor(at!.getTime() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const ratio = (a: number, b: number) => +(a / b).toFixed(2);

    const figures = {
      limits: {
        runsPerMember: `${rules.member.points} a minute, ${rules.memberBurst.points} in 10 s`,
        runsPerWorkspace: `${rules.workspace.points} a minute, ${rules.workspaceBurst.points} in 10 s`,
      },
      workerConcurrency: 4,
      floodSpreadMs: FLOOD_SPREAD_MS,
      rounds: ROUNDS,
      loadAverage: { before: loadBefore.map((l) => +l.toFixed(2)), after: loadAfter.map((l) => +l.toFixed(2)) },
      quiet: { submit: stats(quiet.submit), gallery: stats(quiet.gallery), submitToCreateSent: stats(quiet.toSent) },
      flood: { submit: stats(loud.submit), gallery: stats(loud.gallery), submitToCreateSent: stats(loud.toSent) },
      ratioP95: {
        submit: ratio(stats(loud.submit).p95, stats(quiet.submit).p95),
        gallery: ratio(stats(loud.gallery).p95, stats(quiet.gallery).p95),
        submitToCreateSent: ratio(stats(loud.toSent).p95, stats(quiet.toSent).p95),
      },
      ratioP50: {
        submit: ratio(stats(loud.submit).p50, stats(quiet.submit).p50),
        gallery: ratio(stats(loud.gallery).p50, stats(quiet.gallery).p50),
      },
      workspaceA: {
        attempts: FLOOD * ROUNDS,
        floodMs: floods.map((f) => f.ms),
        accepted: floods.map((f) => f.results.filter((r) => r.status === "fulfilled").length),
        refusedByMemberLimits: refusals.filter((m) => m.startsWith("You've started")).length,
        refusedByWorkspaceLimits: refusals.filter((m) => m.startsWith("This workspace")).length,
        refusedBusy: refusals.filter((m) => m === BUSY_MESSAGE).length,
        otherErrors: refusals.filter((m) => !m.startsWith("You've started") && !m.startsWith("This workspace") && m !== BUSY_MESSAGE).slice(0, 3),
        createsSent: sentAt.length,
        maxCreatesPerSecond: Math.max(0, ...perSecond.values()),
      },
      perRound,
      claimAt100kDueJobs: await claimCost(),
    };
    const { plan, ...claimFigures } = figures.claimAt100kDueJobs;
    console.log(JSON.stringify({ ...figures, claimAt100kDueJobs: claimFigures }, null, 2));
    console.log(plan.join("\n"));
    writeFileSync("bench/results/fair-use.json", `${JSON.stringify({ measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
    expect(figures.workspaceA.otherErrors).toEqual([]);
    expect(Math.max(...figures.workspaceA.accepted)).toBeLessThanOrEqual(rules.workspaceBurst.points);
    expect(figures.ratioP95.submit).toBeLessThanOrEqual(1.5);
    expect(figures.ratioP95.gallery).toBeLessThanOrEqual(1.5);
  } finally {
    await worker?.stop();
    setConnectionOverridesForTests(undefined);
    stopSandboxProcess(sandboxA);
    stopSandboxProcess(sandboxB);
  }
});
