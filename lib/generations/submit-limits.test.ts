import { vi } from "vitest";

// Small limits for this file, set before lib/env.ts is first read (vi.hoisted runs before the imports).
vi.hoisted(() => {
  process.env.ATELIER_RUNS_PER_MEMBER_PER_MINUTE = "3";
  process.env.ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE = "5";
  process.env.ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE = "3";
});

import { removeTestFolders, sandboxHooks } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import { estimateGeneration, retryGeneration, submitGeneration } from "@/lib/generations/service";
import { admitRun } from "@/lib/generations/submit-limits";
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

const TRY_AGAIN = /Try again in (\d+) seconds?\.$/;

function retryAfterOf(error: unknown): number {
  const seconds = Number(TRY_AGAIN.exec((error as Error).message)?.[1]);
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
  it("refuses a member's 4th run in the minute with when to try again, while a teammate can still start runs", async () => {
    const [alice, bob] = await team(1);
    for (let i = 0; i < 3; i++) expect((await submit(alice!)).deduplicated).toBe(false);
    const refused = await refusal(submit(alice!));
    expect(refused.code).toBe("rate_limited");
    expect(refused.message).toMatch(/^You've started 3 runs in the last minute\. Try again in \d+ seconds?\.$/);
    retryAfterOf(refused);
    // Bob has his own allowance, up to the workspace's 5 in the minute.
    expect((await submit(bob!)).deduplicated).toBe(false);
    expect((await submit(bob!)).deduplicated).toBe(false);
    const full = await refusal(submit(bob!));
    expect(full.code).toBe("rate_limited");
    expect(full.message).toMatch(/^This workspace has started 5 runs in the last minute\. Try again in \d+ seconds?\.$/);
    expect(await db.generation.count({ where: { workspaceId: alice!.workspaceId } })).toBe(5);
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

  it("counts retries like submits", async () => {
    const [owner] = await team(0);
    const failed = await submit(owner!, "will fail");
    await db.generation.update({ where: { id: failed.generationId }, data: { status: "FAILED" } });
    await submit(owner!);
    expect((await retryGeneration(owner!, failed.generationId, randomUUID())).deduplicated).toBe(false);
    const refused = await refusal(retryGeneration(owner!, failed.generationId, randomUUID()));
    expect(refused.code).toBe("rate_limited");
  });

  it("writes one audit entry per member per minute however many refusals", async () => {
    const [owner, member] = await team(1);
    for (let i = 0; i < 3; i++) await submit(member!);
    for (let i = 0; i < 4; i++) expect((await refusal(submit(member!))).code).toBe("rate_limited");
    const entries = await db.auditEvent.findMany({ where: { workspaceId: owner!.workspaceId, action: "generation.rate_limited" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: member!.userId, details: { limit: "member", perMinute: 3 } });
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
    expect(refused.message).toMatch(/^You've asked for 3 cost estimates in the last minute\. Try again in \d+ seconds?\.$/);
    expect(await estimateGeneration(owner!, imageRun("one"))).toEqual(first);
  });
});
