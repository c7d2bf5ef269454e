import { createCalls, removeTestFolders } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { ChargeBasis, GenerationStatus, ProviderName, Tool } from "@/lib/generated/prisma/enums";
import type { Viewer } from "@/lib/authz";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { generationQueues, generationTimings } from "@/lib/generations/worker";
import { createAsset } from "@/lib/generations/assets";
import { estimateGeneration } from "@/lib/generations/estimate";
import { submitGeneration } from "@/lib/generations/submit";
import { makePng } from "@/sandbox/test-support";
import { recordBalance, SNAPSHOT_EVERY_MS } from "@/lib/data/balance-snapshots";
import { setMemberBudget } from "@/lib/data/budgets";
import { spentThisMonth } from "@/lib/data/spend";
import { getUsage } from "@/lib/data/usage";
import type { GenerationRequest } from "@/lib/validation/generations";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

// Actions are called as a browser would; only the session is faked (see lib/actions/action-client.test.ts).
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { setMemberBudgetAction } = await import("@/lib/actions/usage");

generationTimings.pollDelayMs = () => 150;

let worker: WorkerHandle;
beforeAll(() => {
  worker = startWorker({ queues: generationQueues, concurrency: 4, pollMs: 50, leaseMs: 5000, stopTimeoutMs: 300 });
});
afterAll(async () => {
  await worker.stop();
  await removeTestFolders();
});
beforeEach(() => {
  session.userId = null;
});

async function team() {
  const owner = await makeUser("Olive Owner");
  const admin = await makeUser("Adam Admin");
  const member = await makeUser("Mia Member");
  const workspace = await makeTeam(owner.id);
  const adminMembership = await addMember(workspace.id, admin.id, "ADMIN");
  const memberMembership = await addMember(workspace.id, member.id, "MEMBER");
  const ownerMembership = await db.membership.findFirstOrThrow({ where: { workspaceId: workspace.id, userId: owner.id }, select: { id: true } });
  return {
    owner,
    admin,
    member,
    workspace,
    ownerMembership,
    adminMembership,
    memberMembership,
    as: (user: { id: string }) => viewerFor(user.id, workspace.id),
  };
}

/** A Generation row as the worker leaves it (with its charge settled as lib/generations/charges.ts would), without running anything. */
async function recordRun(input: {
  workspaceId: string;
  userId: string | null;
  at: string;
  credits: number | null;
  tool?: Tool;
  provider?: ProviderName;
  status?: GenerationStatus;
  charged?: boolean;
  errorCause?: string;
  refunded?: number;
  basis?: ChargeBasis;
}) {
  const provider = input.provider ?? "RENDERNET";
  const status = input.status ?? "SUCCEEDED";
  const inFlight = ["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING"].includes(status);
  const charged = input.charged !== false && provider === "RENDERNET";
  const basis: ChargeBasis | null = input.basis ?? (provider === "QOLABA" ? "UNKNOWN" : charged ? "ESTIMATE" : inFlight ? null : "NOT_ACCEPTED");
  return db.generation.create({
    data: {
      workspaceId: input.workspaceId,
      createdById: input.userId,
      tool: input.tool ?? "IMAGE",
      provider,
      status,
      idempotencyKey: randomUUID(),
      params: {},
      estimatedCredits: input.credits,
      chargeBasis: basis,
      chargedCredits: basis === null || basis === "UNKNOWN" ? null : charged ? (input.refunded ? 0 : input.credits) : 0,
      refundedCredits: input.refunded ?? null,
      providerGenerationId: input.charged === false || provider === "QOLABA" ? null : `gen_${randomUUID()}`,
      providerTaskId: provider === "QOLABA" ? `task_${randomUUID()}` : null,
      errorCause: input.errorCause ?? null,
      createdAt: new Date(input.at),
    },
  });
}

const imageRun = (prompt: string): GenerationRequest => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt,
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize: 1,
    seed: 3,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

const submit = (viewer: Viewer, prompt = "a quiet harbour") =>
  submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: imageRun(prompt) });

function waitFinal(generationId: string) {
  return vi.waitFor(
    async () => {
      const row = await db.generation.findUniqueOrThrow({ where: { id: generationId } });
      if (!["SUCCEEDED", "FAILED", "REFUSED"].includes(row.status)) throw new Error(`generation still ${row.status}`);
      return row;
    },
    { timeout: 15_000, interval: 100 },
  );
}

describe("usage aggregation", () => {
  it("sums charged credits per UTC day x tool, per member and per tool, and leaves out what was never charged", async () => {
    const t = await team();
    const other = await team();
    const ws = t.workspace.id;
    await recordRun({ workspaceId: ws, userId: t.owner.id, at: "2026-03-10T08:00:00Z", credits: 4 });
    await recordRun({ workspaceId: ws, userId: t.owner.id, at: "2026-03-10T23:59:59.999Z", credits: 20, tool: "IMAGE_TO_VIDEO" });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-11T00:00:00Z", credits: 2 });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-12T12:00:00Z", credits: 6, tool: "ENHANCE", status: "FAILED", errorCause: "failed" });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-12T12:00:00Z", credits: 3, status: "REFUSED" });
    // Not charged: never received, refused at create, failed before sending, still queued; Qolaba has no credits.
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-12T13:00:00Z", credits: 50, status: "FAILED", charged: false, errorCause: "not_received" });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-12T13:00:00Z", credits: 50, status: "FAILED", charged: false, errorCause: "insufficient_credits" });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-12T13:00:00Z", credits: 50, status: "FAILED", charged: false, errorCause: "invalid_input" });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-12T13:00:00Z", credits: 5, status: "QUEUED", charged: false });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-03-12T13:00:00Z", credits: null, tool: "CONTROLNET", provider: "QOLABA" });
    // Outside the range, and another workspace's spend.
    await recordRun({ workspaceId: ws, userId: t.owner.id, at: "2026-03-05T23:59:59Z", credits: 100 });
    await recordRun({ workspaceId: other.workspace.id, userId: other.owner.id, at: "2026-03-11T10:00:00Z", credits: 77 });

    const usage = await getUsage(await t.as(t.member), { days: 7, now: new Date("2026-03-12T18:00:00Z") });
    expect(usage).toMatchObject({ days: 7, from: "2026-03-06", to: "2026-03-12", total: 35, runs: 5, uncreditedRuns: 1 });
    expect(usage.daily.map((d) => d.day)).toEqual(["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"]);
    expect(usage.daily.map((d) => d.total)).toEqual([0, 0, 0, 0, 24, 2, 9]);
    expect(usage.daily[4]!.byTool).toEqual(expect.arrayContaining([{ tool: "IMAGE", credits: 4 }, { tool: "IMAGE_TO_VIDEO", credits: 20 }]));
    expect(usage.daily[6]!.byTool).toEqual(expect.arrayContaining([{ tool: "ENHANCE", credits: 6 }, { tool: "IMAGE", credits: 3 }]));
    expect(usage.tools).toEqual([
      { tool: "IMAGE_TO_VIDEO", credits: 20, runs: 1 },
      { tool: "IMAGE", credits: 9, runs: 3 },
      { tool: "ENHANCE", credits: 6, runs: 1 },
    ]);
    const byName = Object.fromEntries(usage.members.map((m) => [m.name, m]));
    expect(byName["Olive Owner"]).toMatchObject({ credits: 24, runs: 2, isYou: false, role: "OWNER" });
    expect(byName["Mia Member"]).toMatchObject({ credits: 11, runs: 3, isYou: true, monthSpent: 16, budget: null });
    expect(byName["Adam Admin"]).toMatchObject({ credits: 0, runs: 0 });
    expect(usage.members[0]!.name).toBe("Olive Owner"); // biggest spender first
    // The month counts everything charged since March 1 plus the queued run (in flight).
    expect(byName["Olive Owner"]!.monthSpent).toBe(124);
    expect(usage.month).toEqual({ label: "March 2026", resets: "Apr 1" });
  });

  it("separates charged from refunded and free runs, per day and per member, and counts only commitments against the budget", async () => {
    const t = await team();
    const ws = t.workspace.id;
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-07-01T09:00:00Z", credits: 4 });
    // Cancelled after RenderNet accepted it, the refund seen in the balance: 0 charged, 4 refunded.
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-07-01T10:00:00Z", credits: 4, status: "CANCELLED", refunded: 4 });
    // Cancelled before it was sent, and refused at create: free.
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-07-02T10:00:00Z", credits: 8, status: "CANCELLED", charged: false, basis: "NOT_SENT" });
    await recordRun({ workspaceId: ws, userId: t.owner.id, at: "2026-07-02T11:00:00Z", credits: 8, status: "FAILED", charged: false, errorCause: "insufficient_credits" });
    // Charged, then cancelled with no refund seen: charged.
    await recordRun({ workspaceId: ws, userId: t.owner.id, at: "2026-07-02T12:00:00Z", credits: 3, status: "CANCELLED" });
    // In flight: no charge yet, but it holds its estimate against the budget.
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-07-02T13:00:00Z", credits: 2, status: "RECONCILING", charged: false });

    const usage = await getUsage(await t.as(t.member), { days: 2, now: new Date("2026-07-02T18:00:00Z") });
    expect(usage).toMatchObject({ total: 7, runs: 2, refunded: 4, freeRuns: 2, uncreditedRuns: 0 });
    expect(usage.daily).toEqual([
      { day: "2026-07-01", total: 4, byTool: [{ tool: "IMAGE", credits: 4 }], refunded: 4, freeRuns: 0 },
      { day: "2026-07-02", total: 3, byTool: [{ tool: "IMAGE", credits: 3 }], refunded: 0, freeRuns: 2 },
    ]);
    const byName = Object.fromEntries(usage.members.map((m) => [m.name, m]));
    expect(byName["Mia Member"]).toMatchObject({ credits: 4, runs: 1, refunded: 4, freeRuns: 1, monthSpent: 4 + 2 });
    expect(byName["Olive Owner"]).toMatchObject({ credits: 3, runs: 1, refunded: 0, freeRuns: 1, monthSpent: 3 });
    expect(await spentThisMonth(ws, t.member.id, { now: new Date("2026-07-02T18:00:00Z") })).toBe(6);
  });

  it("starts the budget month at 00:00 UTC on the 1st", async () => {
    const t = await team();
    const ws = t.workspace.id;
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-11-30T23:59:59.999Z", credits: 7 });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-12-01T00:00:00.000Z", credits: 5 });
    await recordRun({ workspaceId: ws, userId: t.member.id, at: "2026-12-01T00:00:00.000Z", credits: 9, status: "FAILED", charged: false, errorCause: "not_received" });
    expect(await spentThisMonth(ws, t.member.id, { now: new Date("2026-11-30T23:59:59.999Z") })).toBe(7);
    expect(await spentThisMonth(ws, t.member.id, { now: new Date("2026-12-01T00:00:00.000Z") })).toBe(5);
    expect(await spentThisMonth(ws, t.member.id, { now: new Date("2026-12-31T23:00:00Z") })).toBe(5);
    expect(await spentThisMonth(ws, t.owner.id, { now: new Date("2026-12-01T01:00:00Z") })).toBe(0);
    const usage = await getUsage(await t.as(t.owner), { days: 7, now: new Date("2026-12-01T06:00:00Z") });
    expect(usage.daily.slice(-2)).toEqual([
      { day: "2026-11-30", total: 7, byTool: [{ tool: "IMAGE", credits: 7 }], refunded: 0, freeRuns: 0 },
      { day: "2026-12-01", total: 5, byTool: [{ tool: "IMAGE", credits: 5 }], refunded: 0, freeRuns: 1 },
    ]);
    expect(usage.members.find((m) => m.name === "Mia Member")).toMatchObject({ credits: 12, monthSpent: 5 });
    expect(usage.month.resets).toBe("Jan 1");
  });

  it("keeps the spend of someone who left, under their name", async () => {
    const t = await team();
    await recordRun({ workspaceId: t.workspace.id, userId: t.admin.id, at: "2026-05-02T10:00:00Z", credits: 8 });
    await db.membership.delete({ where: { id: t.adminMembership.id } });
    const usage = await getUsage(await t.as(t.owner), { days: 7, now: new Date("2026-05-03T10:00:00Z") });
    expect(usage.total).toBe(8);
    expect(usage.members.find((m) => m.key === t.admin.id)).toMatchObject({ name: "Adam Admin", membershipId: null, role: null, credits: 8 });
  });
});

describe("balance snapshots", () => {
  it("stores at most one snapshot per 10 minutes per connection unless the balance changes", async () => {
    const t = await team();
    const ws = t.workspace.id;
    const start = new Date("2026-04-01T10:00:00Z");
    const later = (ms: number) => new Date(start.getTime() + ms);
    expect(await recordBalance(ws, "RENDERNET", "conn-a", 500, start)).toBe(true);
    expect(await recordBalance(ws, "RENDERNET", "conn-a", 500, later(60_000))).toBe(false);
    expect(await recordBalance(ws, "RENDERNET", "conn-b", 500, later(60_000))).toBe(true); // another key: its own line
    expect(await recordBalance(ws, "RENDERNET", "conn-a", 496, later(120_000))).toBe(true); // changed
    expect(await recordBalance(ws, "RENDERNET", "conn-a", 496, later(120_000 + SNAPSHOT_EVERY_MS - 1))).toBe(false);
    expect(await recordBalance(ws, "RENDERNET", "conn-a", 496, later(120_000 + SNAPSHOT_EVERY_MS + 1))).toBe(true);
    expect(await db.balanceSnapshot.count({ where: { workspaceId: ws } })).toBe(4);

    const month = await getUsage(await t.as(t.member), { days: 30, now: later(3_600_000 * 5) });
    const a = month.balance.find((s) => s.connection === "conn-a")!;
    // Over a month, one point per hour: the 10:00 hour's last reading.
    expect(a.points).toEqual([{ at: "2026-04-01T10:12:00.001Z", balance: 496 }]);
    expect(a.current).toBe(true);
    expect(month.balance.find((s) => s.connection === "conn-b")?.current).toBe(false);
    // Over a week, one per 10 minutes.
    const week = await getUsage(await t.as(t.member), { days: 7, now: later(3_600_000 * 5) });
    expect(week.balance.find((s) => s.connection === "conn-a")!.points).toEqual([
      { at: "2026-04-01T10:02:00.000Z", balance: 496 },
      { at: "2026-04-01T10:12:00.001Z", balance: 496 },
    ]);
    // A reading from before the range is where the line starts.
    const later30 = await getUsage(await t.as(t.member), { days: 7, now: new Date("2026-04-20T10:00:00Z") });
    expect(later30.balance.find((s) => s.connection === "conn-a")!.points).toEqual([{ at: "2026-04-14T00:00:00.000Z", balance: 496 }]);
  });

  it("records the balance an estimate returns", async () => {
    const user = await makeUser();
    const viewer = await viewerFor(user.id, user.personal.id);
    await estimateGeneration(viewer, imageRun("a balance reading"));
    await expect.poll(() => db.balanceSnapshot.findMany({ where: { workspaceId: viewer.workspaceId }, select: { balance: true, provider: true } })).toEqual([
      { balance: 500, provider: "RENDERNET" },
    ]);
  });
});

describe("budgets", () => {
  it("refuses a member over budget with a clear message, sends nothing to the provider and records nothing", async () => {
    const t = await team();
    const member = await t.as(t.member);
    const { credits: cost } = await estimateGeneration(member, imageRun("a priced run"));
    expect(cost).toBe(2);
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 1);
    await expect(submit(member)).rejects.toMatchObject({
      name: "UserError",
      code: "conflict",
      message: expect.stringMatching(/^This run costs 2 credits; you have 1 of your 1-credit monthly budget left \(resets [A-Z][a-z]{2} 1 UTC\)\.$/),
    });
    expect(await createCalls(t.workspace.id)).toHaveLength(0);
    expect(await db.generation.count({ where: { workspaceId: t.workspace.id } })).toBe(0);
    // Others in the workspace are not limited by the member's budget.
    await expect(submit(await t.as(t.owner))).resolves.toMatchObject({ status: "QUEUED" });
  });

  it("allows a run that reaches the budget exactly, then refuses the next one", async () => {
    const t = await team();
    const member = await t.as(t.member);
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 4);
    const first = await submit(member, "first");
    const second = await submit(member, "second");
    expect((await waitFinal(first.generationId)).status).toBe("SUCCEEDED");
    expect((await waitFinal(second.generationId)).status).toBe("SUCCEEDED");
    expect(await spentThisMonth(t.workspace.id, t.member.id)).toBe(4);
    await expect(submit(member, "third")).rejects.toThrow("This run costs 2 credits; you have 0 of your 4-credit monthly budget left");
    expect(await createCalls(t.workspace.id)).toHaveLength(2);
    // A budget of 0 says so; clearing the budget lifts the limit.
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 0);
    await expect(submit(member, "zero")).rejects.toThrow(/monthly credit budget in this workspace is 0/);
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, null);
    await expect(submit(member, "unlimited")).resolves.toMatchObject({ status: "QUEUED" });
  });

  it("warns in the estimate, before Generate, exactly when the submit would refuse, with the same rule", async () => {
    const t = await team();
    const member = await t.as(t.member);
    expect((await estimateGeneration(member, imageRun("preview"))).budget).toBeNull(); // no limit
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 3);
    expect(await estimateGeneration(member, imageRun("preview"))).toMatchObject({ credits: 2, budget: { limit: 3, remaining: 3, warning: null } });
    await submit(member, "first");
    // 2 committed, 1 left: the same 2-credit run is now past the budget, and the submit agrees.
    const estimate = await estimateGeneration(member, imageRun("preview"));
    expect(estimate.budget).toEqual({
      limit: 3,
      remaining: 1,
      warning: "This run (~2 credits) would exceed your remaining budget of 1 credit this month; an owner can raise it in Settings → Usage.",
    });
    await expect(submit(member, "preview")).rejects.toThrow("you have 1 of your 3-credit monthly budget left");
    // The price is shared by the workspace (cached), the budget is each member's own.
    expect((await estimateGeneration(await t.as(t.owner), imageRun("preview"))).budget).toBeNull();
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 0);
    expect((await estimateGeneration(member, imageRun("preview"))).budget?.warning).toBe(
      "Your monthly credit budget in this workspace is 0; an owner can raise it in Settings → Usage.",
    );
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 4); // exactly enough again
    expect((await estimateGeneration(member, imageRun("preview"))).budget).toEqual({ limit: 4, remaining: 2, warning: null });
    await expect(submit(member, "preview")).resolves.toMatchObject({ status: "QUEUED" });
  });

  it("does not let concurrent submits overspend together", async () => {
    const t = await team();
    const member = await t.as(t.member);
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 5); // room for two 2-credit runs
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => submit(member, `burst ${i}`)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/monthly budget left/);
    expect(await db.generation.count({ where: { workspaceId: t.workspace.id } })).toBe(2);
    expect(await spentThisMonth(t.workspace.id, t.member.id)).toBe(4);
  });
});

describe("budgets of runs priced by their job (inputs not yet at the provider)", () => {
  const editOf = async (viewer: Viewer, width: number): Promise<GenerationRequest> => {
    const png = await makePng(width, 64); // each its own file, so none is at the provider yet
    const asset = await createAsset(viewer, new File([new Uint8Array(png)], `in-${width}.png`, { type: "image/png" }));
    return { tool: "EDIT", params: { image: { kind: "asset", id: asset.id }, find: "circle", replace: "moon" } };
  };

  it("records them at once, then lets no more through than the budget, with its sentence on the refused runs and nothing sent for them", async () => {
    const t = await team();
    const member = await t.as(t.member);
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 5); // room for two 2-credit edits
    const runs = await Promise.all([64, 65, 66, 67].map((width) => editOf(member, width)));
    const submitted = await Promise.all(runs.map((run) => submitGeneration(member, { idempotencyKey: randomUUID(), boardId: null, run })));
    expect(submitted.map((r) => r.status)).toEqual(["PREPARING", "PREPARING", "PREPARING", "PREPARING"]);
    const done = await Promise.all(submitted.map((r) => waitFinal(r.generationId)));
    expect(done.filter((g) => g.status === "SUCCEEDED")).toHaveLength(2);
    const refused = done.filter((g) => g.status === "FAILED");
    expect(refused).toHaveLength(2);
    for (const g of refused) {
      expect(g).toMatchObject({ errorCause: "over_budget", providerGenerationId: null });
      expect(g.errorMessage).toMatch(/^This run costs 2 credits; you have [01] of your 5-credit monthly budget left/);
    }
    expect(await createCalls(t.workspace.id)).toHaveLength(2);
    expect(await spentThisMonth(t.workspace.id, t.member.id)).toBe(4);
  });

  it("counts a run priced at submit while its inputs upload, so a later submit sees it", async () => {
    const t = await team();
    const member = await t.as(t.member);
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 3);
    await recordRun({ workspaceId: t.workspace.id, userId: t.member.id, at: new Date().toISOString(), credits: 2, status: "PREPARING", charged: false });
    expect(await spentThisMonth(t.workspace.id, t.member.id)).toBe(2);
    await expect(submit(member, "one too many")).rejects.toThrow("This run costs 2 credits; you have 1 of your 3-credit monthly budget left");
    // Unpriced (its job prices it under the lock): nothing to count yet.
    await recordRun({ workspaceId: t.workspace.id, userId: t.member.id, at: new Date().toISOString(), credits: null, status: "PREPARING", charged: false });
    expect(await spentThisMonth(t.workspace.id, t.member.id)).toBe(2);
  });
});

describe("setting budgets", () => {
  it("lets only owners set budgets, and records who changed what", async () => {
    const t = await team();
    await expect(setMemberBudget(await t.as(t.admin), t.memberMembership.id, 10)).rejects.toThrow(/doesn't allow/);
    await expect(setMemberBudget(await t.as(t.member), t.memberMembership.id, 10)).rejects.toThrow(/doesn't allow/);
    expect((await db.membership.findUniqueOrThrow({ where: { id: t.memberMembership.id } })).monthlyCreditBudget).toBeNull();

    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 50);
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, 50); // unchanged: no second entry
    await setMemberBudget(await t.as(t.owner), t.memberMembership.id, null);
    expect((await db.membership.findUniqueOrThrow({ where: { id: t.memberMembership.id } })).monthlyCreditBudget).toBeNull();
    const events = await db.auditEvent.findMany({ where: { workspaceId: t.workspace.id, action: "member.budget_changed" }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.actorId, e.targetId, (e.details as { budget: string }).budget])).toEqual([
      [t.owner.id, t.memberMembership.id, "no limit → 50 credits a month"],
      [t.owner.id, t.memberMembership.id, "50 credits a month → no limit"],
    ]);
    expect(events[0]!.details).toMatchObject({ member: t.member.email, from: null, to: 50 });
  });

  it("treats another workspace's membership id as missing", async () => {
    const t = await team();
    const other = await team();
    await expect(setMemberBudget(await t.as(t.owner), other.memberMembership.id, 5)).rejects.toThrow(/That member was not found/);
    expect((await db.membership.findUniqueOrThrow({ where: { id: other.memberMembership.id } })).monthlyCreditBudget).toBeNull();
  });

  it("is refused to admins by the action itself, and parses the budget with the form's schema", async () => {
    const t = await team();
    session.userId = t.admin.id;
    expect(await setMemberBudgetAction({ workspace: t.workspace.slug, membershipId: t.memberMembership.id, budget: "10" })).toMatchObject({
      ok: false,
      code: "forbidden",
      error: expect.stringMatching(/at least an owner/),
    });
    session.userId = t.owner.id;
    for (const bad of ["-1", "2.5", "lots", "1000001"]) {
      expect(await setMemberBudgetAction({ workspace: t.workspace.slug, membershipId: t.memberMembership.id, budget: bad })).toMatchObject({
        ok: false,
        code: "invalid_input",
        fieldErrors: { budget: [expect.any(String)] },
      });
    }
    expect(await setMemberBudgetAction({ workspace: t.workspace.slug, membershipId: t.memberMembership.id, budget: "1,000" })).toEqual({
      ok: true,
      data: { budget: 1000 },
    });
    expect(await setMemberBudgetAction({ workspace: t.workspace.slug, membershipId: t.memberMembership.id, budget: "" })).toEqual({
      ok: true,
      data: { budget: null },
    });
    expect(await setMemberBudgetAction({ workspace: t.workspace.slug, membershipId: "no-such-membership", budget: "5" })).toMatchObject({ ok: false, code: "not_found" });
  });
});
