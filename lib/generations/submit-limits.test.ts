import { vi } from "vitest";

// Small limits for this file, set before lib/env.ts is first read (vi.hoisted runs before the imports).
vi.hoisted(() => {
  // 12 a minute and 3 in 10 seconds per member; 20 a minute and 5 in 10 seconds per workspace.
  process.env.ATELIER_RUNS_PER_MEMBER_PER_MINUTE = "12";
  process.env.ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE = "20";
  process.env.ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE = "3";
});

import { removeTestFolders, sandboxHooks } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import { estimateGeneration } from "@/lib/generations/estimate";
import { retryGeneration, submitGeneration, varyGeneration } from "@/lib/generations/submit";
import { admitRun, BUSY_MESSAGE, inWorkspaceTurn, WORKSPACE_LINE, WORKSPACE_TURNS, workspaceTurnLoad } from "@/lib/generations/submit-limits";
import type { Viewer } from "@/lib/authz";
import type { GenerationRequest } from "@/lib/validation/generations";

const imageRun = (prompt = "a lighthouse at dusk"): GenerationRequest => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt,
    negativePrompt: "",
    aspectRatio: "3:2",
    batchSize: 1,
    seed: 7,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

const workspaces = new Set<string>();

/** A team workspace with its owner and `members` more members, as viewers. */
async function team(members = 1): Promise<Viewer[]> {
  const owner = await makeUser("Owner");
  const workspace = await makeTeam(owner.id);
  workspaces.add(workspace.id);
  const viewers = [await viewerFor(owner.id, workspace.id)];
  for (let i = 0; i < members; i++) {
    const user = await makeUser(`Member ${i}`);
    await addMember(workspace.id, user.id, "MEMBER");
    viewers.push(await viewerFor(user.id, workspace.id));
  }
  return viewers;
}

const submit = (viewer: Viewer, prompt = `run ${randomUUID().slice(0, 6)}`, idempotencyKey: string = randomUUID()) =>
  submitGeneration(viewer, { idempotencyKey, boardId: null, run: imageRun(prompt) });

const TRY_AGAIN = /Try again in (\d+) (seconds?|minute)\.$/;

function retryAfterOf(error: unknown): number {
  const match = TRY_AGAIN.exec((error as Error).message);
  const seconds = Number(match?.[1]) * (match?.[2] === "minute" ? 60 : 1);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  return seconds;
}

async function refusal(promise: Promise<unknown>): Promise<Error & { code: string }> {
  const error = await promise.then(
    () => expect.unreachable("expected a refusal"),
    (reason: unknown) => reason,
  );
  return error as Error & { code: string };
}

// Runs recorded here stay QUEUED: their jobs are removed so no other test file's worker picks them up.
afterEach(async () => {
  await db.job.deleteMany({ where: { groupKey: { in: [...workspaces] } } });
});
afterAll(async () => {
  await removeTestFolders();
});

describe("fair use: runs per member and per workspace", () => {
  it("refuses a member's 4th run in 10 seconds with when to try again, while a teammate can still start runs", async () => {
    const [alice, bob] = await team(1);
    for (let i = 0; i < 3; i++) expect((await submit(alice!)).deduplicated).toBe(false);
    const refused = await refusal(submit(alice!));
    expect(refused.code).toBe("rate_limited");
    expect(refused.message).toMatch(/^You've started 3 runs in the last 10 seconds\. Try again in \d+ seconds?\.$/);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(10);
    // Bob has his own allowance, up to the workspace's 5 in 10 seconds.
    expect((await submit(bob!)).deduplicated).toBe(false);
    expect((await submit(bob!)).deduplicated).toBe(false);
    const full = await refusal(submit(bob!));
    expect(full.code).toBe("rate_limited");
    expect(full.message).toMatch(/^This workspace has started 5 runs in the last 10 seconds\. Try again in \d+ seconds?\.$/);
    expect(await db.generation.count({ where: { workspaceId: alice!.workspaceId } })).toBe(5);
  });

  it("holds the minute's limit across 10-second windows", async () => {
    const [owner] = await team(0);
    // The limiter's windows run on this process's clock: move it forward instead of waiting.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      for (let window = 0; window < 4; window++) {
        if (window > 0) vi.setSystemTime(Date.now() + 11_000);
        for (let i = 0; i < 3; i++) expect((await submit(owner!)).deduplicated).toBe(false);
        if (window < 3) expect((await refusal(submit(owner!))).message).toMatch(/in the last 10 seconds/);
      }
      vi.setSystemTime(Date.now() + 11_000); // a new 10-second window, still the same minute
      const refused = await refusal(submit(owner!));
      expect(refused.message).toMatch(/^You've started 12 runs in the last minute\. Try again in (\d+ seconds?|1 minute)\.$/);
      expect(retryAfterOf(refused)).toBeLessThanOrEqual(60 - 44);
    } finally {
      vi.useRealTimers();
    }
    expect(await db.generation.count({ where: { workspaceId: owner!.workspaceId } })).toBe(12);
  });

  it("counts exactly the limit among concurrent submits", async () => {
    const [owner] = await team(0);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => submit(owner!, `burst ${i}`)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "rate_limited" });
    expect(await db.generation.count({ where: { workspaceId: owner!.workspaceId } })).toBe(3);
  });

  it("does not count a replayed idempotency key, even at the limit", async () => {
    const [owner] = await team(0);
    const key = randomUUID();
    const first = await submit(owner!, "once", key);
    for (let i = 0; i < 4; i++) expect(await submit(owner!, "once", key)).toEqual({ ...first, deduplicated: true });
    expect((await submit(owner!)).deduplicated).toBe(false);
    expect((await submit(owner!)).deduplicated).toBe(false);
    expect((await refusal(submit(owner!))).code).toBe("rate_limited");
    // At the limit, a replay still answers with its run.
    expect(await submit(owner!, "once", key)).toEqual({ ...first, deduplicated: true });
  });

  it("counts one place for concurrent twins of one key once their race is settled", async () => {
    const [owner] = await team(0);
    const key = randomUUID();
    const twins = await Promise.all(Array.from({ length: 3 }, () => submit(owner!, "twins", key)));
    expect(new Set(twins.map((t) => t.generationId)).size).toBe(1);
    expect(twins.filter((t) => !t.deduplicated)).toHaveLength(1);
    // The twins that lost the race gave their places back: two more runs fit in the minute, not zero.
    expect((await submit(owner!)).deduplicated).toBe(false);
    expect((await submit(owner!)).deduplicated).toBe(false);
    expect((await refusal(submit(owner!))).code).toBe("rate_limited");
  });

  it("gives the place back when the run is refused before it is recorded (balance, budget, bad input)", async () => {
    const [owner] = await team(0);
    await sandboxHooks.credits(owner!.workspaceId, 0);
    for (let i = 0; i < 4; i++) expect((await refusal(submit(owner!))).code).toBe("conflict");
    await sandboxHooks.credits(owner!.workspaceId, 500);
    await db.membership.updateMany({ where: { workspaceId: owner!.workspaceId, userId: owner!.userId }, data: { monthlyCreditBudget: 0 } });
    for (let i = 0; i < 4; i++) expect((await refusal(submit(owner!))).message).toMatch(/budget/);
    await db.membership.updateMany({ where: { workspaceId: owner!.workspaceId, userId: owner!.userId }, data: { monthlyCreditBudget: null } });
    const board = await refusal(submitGeneration(owner!, { idempotencyKey: randomUUID(), boardId: "no-such-board", run: imageRun() }));
    expect(board.code).toBe("not_found");
    // None of the 9 refusals counted: all 3 places are still there.
    for (let i = 0; i < 3; i++) expect((await submit(owner!)).deduplicated).toBe(false);
    expect((await refusal(submit(owner!))).code).toBe("rate_limited");
  });

  it("does not count refused attempts: a place given back is usable at once, however hard the limit was hammered", async () => {
    const [owner] = await team(0);
    const held = [await admitRun(owner!), await admitRun(owner!), await admitRun(owner!)];
    for (let i = 0; i < 5; i++) expect((await refusal(admitRun(owner!))).code).toBe("rate_limited");
    await held[0]!.release();
    await held[0]!.release(); // twice gives back once
    const next = await admitRun(owner!);
    expect((await refusal(admitRun(owner!))).code).toBe("rate_limited");
    await Promise.all([next, ...held].map((admission) => admission.release()));
  });

  it("works on at most a few of one workspace's submits at once; the others wait their turn and are recorded", async () => {
    const [owner, member] = await team(1);
    let busiest = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        busiest = Math.max(busiest, workspaceTurnLoad(owner!).running);
        // A sampling interval, not a wait for anything: the load is read every few milliseconds while the submits run.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const results = await Promise.all([0, 1, 2, 0, 1].map((i) => submit([owner!, member!][i % 2]!)));
    sampling = false;
    await sampler;
    expect(results.every((r) => !r.deduplicated)).toBe(true);
    expect(busiest).toBeGreaterThan(0);
    expect(busiest).toBeLessThanOrEqual(WORKSPACE_TURNS);
    expect(workspaceTurnLoad(owner!)).toEqual({ running: 0, waiting: 0 });
  });

  it("does not hold a submit behind the workspace's estimates waiting on a slow upload", async () => {
    const [owner] = await team(0);
    // Both estimate turns are taken by estimates that wait (as one waits for a 4 s input upload at the provider).
    let letGo!: () => void;
    const waiting = new Promise<void>((resolve) => (letGo = resolve));
    const estimates = [0, 1].map(() => inWorkspaceTurn(owner!, () => waiting, "estimates"));
    await expect.poll(() => workspaceTurnLoad(owner!, "estimates").running).toBe(WORKSPACE_TURNS);
    try {
      const result = await submit(owner!, "not behind the estimates");
      expect(result.deduplicated).toBe(false);
      expect(workspaceTurnLoad(owner!, "estimates").running).toBe(WORKSPACE_TURNS); // they were still waiting
    } finally {
      letGo();
      await Promise.all(estimates);
    }
  });

  it("answers busy at once past the workspace's line, and the line still drains", async () => {
    const [owner] = await team(0);
    const total = WORKSPACE_TURNS + WORKSPACE_LINE + 10;
    const results = await Promise.allSettled(Array.from({ length: total }, (_, i) => submit(owner!, `line ${i}`)));
    const messages = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
    expect(messages.filter((m) => m === BUSY_MESSAGE)).toHaveLength(10);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(workspaceTurnLoad(owner!)).toEqual({ running: 0, waiting: 0 });
  });

  it("counts retries like submits", async () => {
    const [owner] = await team(0);
    const failed = await submit(owner!, "will fail");
    await db.generation.update({ where: { id: failed.generationId }, data: { status: "FAILED" } });
    await submit(owner!);
    expect((await retryGeneration(owner!, failed.generationId, randomUUID())).deduplicated).toBe(false);
    const refused = await refusal(retryGeneration(owner!, failed.generationId, randomUUID()));
    expect(refused.code).toBe("rate_limited");
  });

  it("counts variations (Vary) like submits", async () => {
    const [owner] = await team(0);
    const original = await submit(owner!, "to vary");
    expect((await varyGeneration(owner!, original.generationId, randomUUID())).deduplicated).toBe(false);
    expect((await varyGeneration(owner!, original.generationId, randomUUID())).deduplicated).toBe(false);
    const refused = await refusal(varyGeneration(owner!, original.generationId, randomUUID()));
    expect(refused.code).toBe("rate_limited");
    expect((await refusal(submit(owner!))).code).toBe("rate_limited");
  });

  it("writes one audit entry per member per minute however many refusals", async () => {
    const [owner, member] = await team(1);
    for (let i = 0; i < 3; i++) await submit(member!);
    for (let i = 0; i < 4; i++) expect((await refusal(submit(member!))).code).toBe("rate_limited");
    const entries = await db.auditEvent.findMany({ where: { workspaceId: owner!.workspaceId, action: "generation.rate_limited" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: member!.userId, details: { limit: "memberBurst", perWindow: 3, windowSeconds: 10 } });
    expect((entries[0]!.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe("fair use: estimates per member", () => {
  it("refuses the 4th estimate that would reach the provider; cached answers are free", async () => {
    const [owner] = await team(0);
    const first = await estimateGeneration(owner!, imageRun("one"));
    await estimateGeneration(owner!, imageRun("two"));
    await estimateGeneration(owner!, imageRun("three"));
    const refused = await refusal(estimateGeneration(owner!, imageRun("four")));
    expect(refused.code).toBe("rate_limited");
    expect(refused.message).toMatch(/^You've asked for 3 cost estimates in the last minute\. Try again in (\d+ seconds?|1 minute)\.$/);
    expect(await estimateGeneration(owner!, imageRun("one"))).toEqual(first);
  });
});
