import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { DEAD_JOB_RETENTION, archiveDeadJob } from "@/lib/data/job-queue";
import {
  claimJobs,
  claimRound,
  completeJob,
  enqueue,
  extendLease,
  failJob,
  nextRunAt,
  parseJobNotice,
  rescheduleJob,
  type JobRow,
  type QueueDefinition,
} from "@/lib/jobs/queue";
import { startWorker } from "@/lib/jobs/worker";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const queueName = (what: string) => `test.${what}.${randomUUID().slice(0, 8)}`;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(25);
  }
}

describe("the job queue", () => {
  it("is idempotent by key and transactional", async () => {
    const queue = queueName("key");
    expect(await enqueue(db, { queue, key: `k:${queue}`, payload: { n: 1 } })).toBe(true);
    expect(await enqueue(db, { queue, key: `k:${queue}`, payload: { n: 2 } })).toBe(false);
    await expect(
      db.$transaction(async (tx) => {
        await enqueue(tx, { queue, key: `rolled:${queue}`, payload: {} });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    const jobs = await db.job.findMany({ where: { queue } });
    expect(jobs.map((job) => job.payload)).toEqual([{ n: 1 }]);
  });

  it("never runs a job twice when two workers race on one database", async () => {
    const queue = queueName("race");
    const runs = new Map<number, string[]>();
    const make = (name: string): QueueDefinition<{ n: number }> => ({
      async handle({ n }) {
        runs.set(n, [...(runs.get(n) ?? []), name]);
        await sleep(10 + Math.random() * 20);
        return { done: true };
      },
    });
    const a = startWorker({ queues: { [queue]: make("a") as QueueDefinition<never> }, concurrency: 5, pollMs: 10, workerId: "a" });
    const b = startWorker({ queues: { [queue]: make("b") as QueueDefinition<never> }, concurrency: 5, pollMs: 10, workerId: "b" });
    await db.$transaction(async (tx) => {
      for (let n = 0; n < 60; n++) await enqueue(tx, { queue, key: `${queue}:${n}`, payload: { n } });
    });
    await expect.poll(() => db.job.count({ where: { queue } }), { timeout: 10_000 }).toBe(0);
    await Promise.all([a.stop(), b.stop()]);
    // What matters: every job ran, and exactly once (which worker ran how many is up to the scheduler).
    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect([...runs.values()].filter((who) => who.length !== 1)).toEqual([]);
  });

  it("hands each due job to one claimer when claims run at the same moment", async () => {
    const queue = queueName("claims");
    await db.$transaction(async (tx) => {
      for (let n = 0; n < 40; n++) await enqueue(tx, { queue, payload: { n }, runAt: new Date(Date.now() - 1000) });
    });
    try {
      // Eight claims in flight together, from eight workers: the race is made, not left to the scheduler. A claim that
      // meets rows another one holds skips them (and may come back with fewer): none may come back with the same job.
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimJobs(`${queue}-w${i}`, [queue], 10, 60_000)));
      const ids = claims.flat().map((job) => String(job.id));
      expect(ids.length).toBeGreaterThanOrEqual(10);
      expect(new Set(ids).size).toBe(ids.length);
      // And each job is leased to the one claimer that got it.
      const rows = await db.job.findMany({ where: { queue }, select: { id: true, lockedBy: true } });
      const holder = new Map(claims.flatMap((jobs, i) => jobs.map((job) => [String(job.id), `${queue}-w${i}`] as const)));
      for (const row of rows) expect(row.lockedBy).toBe(holder.get(String(row.id)) ?? null);
    } finally {
      await db.job.deleteMany({ where: { queue } });
    }
  });

  it("reschedules with retryAt and a new payload, and backs off after errors", async () => {
    const queue = queueName("retry");
    const seen: unknown[] = [];
    let calls = 0;
    const definition: QueueDefinition<{ step: number }> = {
      async handle(payload) {
        seen.push(payload);
        calls++;
        if (calls === 1) return { retryAt: new Date(Date.now() + 50), payload: { step: 2 } };
        if (calls === 2) throw new Error("flaky");
        return { done: true };
      },
    };
    await enqueue(db, { queue, payload: { step: 1 } });
    const worker = startWorker({ queues: { [queue]: definition as QueueDefinition<never> }, pollMs: 20 });
    await until(() => calls === 2);
    await sleep(100);
    const job = await db.job.findFirstOrThrow({ where: { queue } });
    expect(job.lastError).toBe("Error: flaky");
    expect(job.lockedBy).toBeNull();
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now() + 500); // backoff, not an immediate retry
    await db.job.update({ where: { id: job.id }, data: { runAt: new Date(Date.now() - 1000) } });
    await until(async () => (await db.job.count({ where: { queue } })) === 0);
    await worker.stop();
    expect(seen).toEqual([{ step: 1 }, { step: 2 }, { step: 2 }]);
  });

  it("gives up after maxAttempts, runs onDead once and keeps the job in the dead-job archive", async () => {
    const queue = queueName("dead");
    const group = `G-${queue}`;
    const dead: unknown[] = [];
    const definition: QueueDefinition<{ id: string }> = {
      async handle() {
        throw new Error("always (Authorization: Bearer sk_live_0123456789abcdef) {\"body\":\"upstream\"}");
      },
      async onDead(payload, error) {
        dead.push([payload, (error as Error).message.slice(0, 6)]);
      },
    };
    await enqueue(db, { queue, key: `${queue}:x`, groupKey: group, payload: { id: "x" }, maxAttempts: 2 });
    const worker = startWorker({ queues: { [queue]: definition as QueueDefinition<never> }, pollMs: 20 });
    await expect.poll(async () => (await db.job.findFirst({ where: { queue } }))?.attempts).toBe(1);
    await db.job.updateMany({ where: { queue }, data: { runAt: new Date(Date.now() - 1000) } });
    await expect.poll(() => db.job.count({ where: { queue } })).toBe(0);
    await worker.stop();
    expect(dead).toEqual([[{ id: "x" }, "always"]]);
    const archived = await db.deadJob.findMany({ where: { queue } });
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({ key: `${queue}:x`, groupKey: group, payload: { id: "x" }, attempts: 2 });
    // Sanitized and bounded: the error's start, no token, no body.
    expect(archived[0]!.lastError).toBe("Error: always (Authorization: [redacted] …");
    expect(archived[0]!.diedAt.getTime()).toBeGreaterThanOrEqual(archived[0]!.createdAt.getTime());
    await db.deadJob.deleteMany({ where: { queue } });
  });

  it("bounds the dead-job archive by age and by count after each insert", async () => {
    const queue = queueName("prune");
    const { days, rows } = DEAD_JOB_RETENTION;
    try {
      // A full archive of this test's rows (rows + 1 of them), the first a day older than kept, the rest a day old.
      await db.$executeRaw`
        INSERT INTO "DeadJob" ("jobId", "queue", "payload", "attempts", "createdAt", "diedAt")
        SELECT n, ${queue}, '{}'::jsonb, 1, now() - interval '40 days',
               CASE WHEN n = 0 THEN now() - (${days + 1}::int * interval '1 day') ELSE now() - interval '1 day' + n * interval '1 millisecond' END
          FROM generate_series(0, ${rows}) AS n`;
      await enqueue(db, { queue, payload: { last: true }, maxAttempts: 1 });
      const [job] = await claimJobs(`${queue}-w`, [queue], 1, 60_000);
      expect(await archiveDeadJob(job!, `${queue}-w`, "Error: the newest")).toBe(true);
      const kept = await db.deadJob.findMany({ where: { queue }, select: { jobId: true, lastError: true }, orderBy: { id: "asc" } });
      // The too-old row went by age, the oldest of the rest by count (at least that one: other tests' dead jobs count
      // too); the new one is kept.
      expect(kept.some((row) => row.jobId === 0n)).toBe(false);
      expect(kept.some((row) => row.jobId === 1n)).toBe(false);
      expect(kept.length).toBeLessThanOrEqual(rows);
      expect(kept.at(-1)!.lastError).toBe("Error: the newest");
    } finally {
      await db.deadJob.deleteMany({ where: { queue } });
      await db.job.deleteMany({ where: { queue } });
    }
  }, 60_000);

  it("wakes an idle worker with NOTIFY instead of waiting for the poll", async () => {
    const queue = queueName("notify");
    let ranAt = 0;
    const worker = startWorker({
      queues: { [queue]: { handle: async () => ((ranAt = Date.now()), { done: true as const }) } },
      pollMs: 30_000,
    });
    await sleep(500); // the worker has polled once and is now asleep; LISTEN is up
    const sentAt = Date.now();
    await enqueue(db, { queue, payload: {} });
    await until(() => ranAt > 0, 5000);
    await worker.stop();
    expect(ranAt - sentAt).toBeLessThan(2000);
  });

  it("keeps its own schedule: jobs due later are picked up at their runAt by either of two idle workers, not at the next poll", async () => {
    const queue = queueName("schedule");
    const started = new Map<number, number>();
    const due = new Map<number, number>();
    const definition: QueueDefinition<{ n: number }> = {
      handle: async ({ n }) => (started.set(n, Date.now()), { done: true }),
    };
    // A 30 s fallback poll: only the schedule (the next runAt, and the notices of later jobs) can explain a pick-up.
    const workers = ["a", "b"].map((id) =>
      startWorker({ queues: { [queue]: definition as QueueDefinition<never> }, concurrency: 4, pollMs: 30_000, workerId: `${queue}-${id}` }),
    );
    const count = 40;
    for (let n = 0; n < count; n++) {
      const runAt = new Date(Date.now() + 50 + Math.round(Math.random() * 250));
      await enqueue(db, { queue, payload: { n }, runAt });
      // Late against its runAt, or against its commit when that came later (a slow insert is not the worker's delay).
      due.set(n, Math.max(runAt.getTime(), Date.now()));
    }
    await expect.poll(() => started.size, { timeout: 10_000 }).toBe(count);
    await Promise.all(workers.map((worker) => worker.stop()));
    const sorted = [...started].map(([n, at]) => at - due.get(n)!).sort((x, y) => x - y);
    // The benchmark asserts p99 <= 50 ms on a quiet machine. Here, bounds a loaded machine (load average 14 on 2
    // cores: p50 under 40 ms, a tail up to 0.8 s) does not break, and a 30 s poll (or the old 1 s one) never meets.
    expect(sorted[Math.floor(count / 2)]).toBeLessThanOrEqual(250);
    expect(sorted.at(-1)).toBeLessThan(2000);
  });

  it("wakes an idle worker for a job another instance rescheduled, at its new runAt", async () => {
    const queue = queueName("resched");
    const ran: { kind: string; at: number }[] = [];
    // The job is due in a minute; a ping (due now) tells when the worker has been through a round and sleeps.
    await enqueue(db, { queue, key: `${queue}:x`, payload: { kind: "x" }, runAt: new Date(Date.now() + 60_000) });
    const worker = startWorker({
      queues: { [queue]: { handle: async ({ kind }: { kind: string }) => (ran.push({ kind, at: Date.now() }), { done: true as const }) } },
      pollMs: 30_000,
      workerId: `${queue}-idle`,
    });
    await enqueue(db, { queue, payload: { kind: "ping" } });
    await expect.poll(() => ran.length).toBe(1);
    // Another instance holds the job and hands it back for 300 ms from now, as a poll does.
    await db.$executeRaw`UPDATE "Job" SET "lockedBy" = 'elsewhere', "lockedUntil" = now() + interval '1 minute' WHERE "key" = ${`${queue}:x`}`;
    const job = await db.job.findFirstOrThrow({ where: { key: `${queue}:x` } });
    const runAt = new Date(Date.now() + 300);
    await rescheduleJob({ id: job.id } as JobRow, "elsewhere", runAt);
    await expect.poll(() => ran.length, { timeout: 5000 }).toBe(2);
    await worker.stop();
    expect(ran[1]!.kind).toBe("x");
    expect(ran[1]!.at - runAt.getTime()).toBeGreaterThanOrEqual(-5);
    expect(ran[1]!.at - runAt.getTime()).toBeLessThanOrEqual(250);
  });

  it("hands a job back when its worker stops, and another idle worker takes it at once", async () => {
    const queue = queueName("release");
    const ran: string[] = [];
    const leaving = startWorker({
      queues: {
        [queue]: {
          handle: (_payload: unknown, { signal }) =>
            new Promise<never>((_resolve, reject) => {
              ran.push("leaving");
              signal.addEventListener("abort", () => reject(new Error("stopping")));
            }),
        },
      },
      pollMs: 30_000,
      workerId: `${queue}-leaving`,
    });
    await enqueue(db, { queue, payload: {} });
    await expect.poll(() => ran.length).toBe(1);
    const staying = startWorker({
      queues: { [queue]: { handle: async () => (ran.push("staying"), { done: true as const }) } },
      pollMs: 30_000,
      workerId: `${queue}-staying`,
    });
    const stoppedAt = Date.now();
    await leaving.stop();
    await expect.poll(() => ran.length, { timeout: 5000 }).toBe(2);
    const tookMs = Date.now() - stoppedAt;
    await staying.stop();
    expect(ran).toEqual(["leaving", "staying"]);
    expect(tookMs).toBeLessThan(2000); // not the 30 s poll
  });

  it("finds the next runAt of its queues in the database clock, ignoring due and other queues' jobs", async () => {
    const queue = queueName("next");
    const other = queueName("other");
    expect((await nextRunAt([queue])).inMs).toBeNull();
    await enqueue(db, { queue, payload: {} }); // due now: the claim's business
    await enqueue(db, { queue: other, payload: {}, runAt: new Date(Date.now() + 1000) });
    await enqueue(db, { queue, payload: {}, runAt: new Date(Date.now() + 5000) });
    await enqueue(db, { queue, payload: {}, runAt: new Date(Date.now() + 3000) });
    const next = await nextRunAt([queue]);
    expect(next.inMs).toBeGreaterThan(2000);
    expect(next.inMs).toBeLessThanOrEqual(3000);
    expect(Math.abs(next.dbNowMs - Date.now())).toBeLessThan(1000);
    expect((await nextRunAt([queue, other])).inMs).toBeLessThanOrEqual(1000);
    await db.job.deleteMany({ where: { queue: { in: [queue, other] } } });
  });

  it("times a round from the job it could not take for being early, never from one its group's cap held back", async () => {
    const queue = queueName("round");
    const group = `G-${queue}`;
    await enqueue(db, { queue, groupKey: group, payload: { i: 0 }, runAt: new Date(Date.now() - 2000) });
    await enqueue(db, { queue, groupKey: group, payload: { i: 1 }, runAt: new Date(Date.now() - 1000) });
    await enqueue(db, { queue, groupKey: group, payload: { i: 2 }, runAt: new Date(Date.now() + 3000) });
    const round = await claimRound(`${queue}-w`, [queue], 4, 60_000, { perGroup: 1 });
    expect(round.jobs.map((job) => job.payload)).toEqual([{ i: 0 }]);
    // The second job is due but capped: a worker that slept "until it is due" would spin. The third one times it.
    expect(round.next.inMs).toBeGreaterThan(2000);
    expect(round.next.inMs).toBeLessThanOrEqual(3000);
    await db.job.deleteMany({ where: { queue } });
  });

  it("reads the notices on the channel: due now, or due at a time", () => {
    expect(parseJobNotice("generation.submit")).toEqual({ queue: "generation.submit", runAtMs: null });
    expect(parseJobNotice("generation.submit@1767225600000")).toEqual({ queue: "generation.submit", runAtMs: 1767225600000 });
    expect(parseJobNotice("q@soon")).toEqual({ queue: "q", runAtMs: null });
    expect(parseJobNotice(undefined)).toBeNull();
  });

  it("runs a job again when its worker died (lease expired), and the dead worker cannot finish it", async () => {
    const queue = queueName("lease");
    await enqueue(db, { queue, payload: { v: 1 } });
    // The ghost claims the job, then goes silent (a process that froze, or was cut off from the database).
    const [ghostJob] = await claimJobs(`${queue}-ghost`, [queue], 1, 60 * 60_000);
    expect(ghostJob).toBeDefined();
    let runs = 0;
    let finish!: () => void;
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    const heir = `${queue}-heir`;
    const worker = startWorker({
      queues: { [queue]: { handle: async () => (runs++, await finishing, { done: true as const }) } },
      pollMs: 20,
      workerId: heir,
    });
    try {
    await sleep(200);
    expect(runs).toBe(0); // leased to the ghost
    await db.$executeRaw`UPDATE "Job" SET "lockedUntil" = now() - interval '1 second' WHERE "queue" = ${queue}`;
    await expect.poll(() => runs).toBe(1);
    // The ghost comes back while the heir runs the job, and tries every write that finishes or keeps it: each is refused.
    const ghost = `${queue}-ghost`;
    expect(await extendLease(ghostJob!, ghost, 60_000)).toBe(false);
    await completeJob(ghostJob!, ghost);
    await rescheduleJob(ghostJob!, ghost, new Date(Date.now() + 60_000), { v: 2 });
    await failJob(ghostJob!, ghost, new Error("late"));
    expect(await archiveDeadJob(ghostJob!, ghost, "Error: late")).toBe(false);
    const row = await db.job.findFirstOrThrow({ where: { queue } });
    expect(row).toMatchObject({ lockedBy: heir, payload: { v: 1 }, lastError: null });
    expect(await db.deadJob.count({ where: { queue } })).toBe(0);
    finish();
    await expect.poll(() => db.job.count({ where: { queue } })).toBe(0);
    expect(runs).toBe(1);
    } finally {
      // A failure here must not leave a job leased for an hour: the fair-claim tests count every group's leases.
      finish();
      await worker.stop();
      await db.job.deleteMany({ where: { queue } });
    }
  });
});

describe("fair claims between groups (workspaces)", () => {
  /** `count` due jobs of `group` in `queue`, the oldest `ageMs` ago and each 1 ms younger than the one before. */
  async function dueJobs(queue: string, group: string | null, count: number, ageMs: number) {
    await db.$transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        await enqueue(tx, { queue, groupKey: group, payload: { group, i }, runAt: new Date(Date.now() - ageMs + i) });
      }
    });
  }
  const groupsOf = (jobs: { groupKey: string | null }[]) => jobs.map((job) => job.groupKey ?? "none");
  const count = (list: string[], value: string) => list.filter((item) => item === value).length;

  it("claims a small group's jobs among the first even when a big group's are all older", async () => {
    const queue = queueName("fair");
    const [a, b] = [`A-${queue}`, `B-${queue}`];
    await dueJobs(queue, a, 20, 60_000);
    await dueJobs(queue, b, 2, 1_000);
    const first = await claimJobs("fair-worker", [queue], 4, 60_000);
    expect(first).toHaveLength(4);
    expect(count(groupsOf(first), b)).toBe(2);
    expect(count(groupsOf(first), a)).toBe(2);
    // Within a group, oldest first.
    expect(first.filter((job) => job.groupKey === a).map((job) => (job.payload as { i: number }).i)).toEqual([0, 1]);
    await db.job.deleteMany({ where: { queue } });
  });

  it("claims no more of a group at its cap while another group has due jobs; the cap is per worker", async () => {
    const queue = queueName("cap");
    const [a, b] = [`A-${queue}`, `B-${queue}`];
    await dueJobs(queue, a, 10, 60_000);
    expect(groupsOf(await claimJobs("w1", [queue], 2, 60_000, { perGroup: 2 }))).toEqual([a, a]);
    await dueJobs(queue, b, 3, 1_000);
    // A is at its cap in w1: only B's jobs, up to B's own cap, although A's are older and slots are free.
    expect(groupsOf(await claimJobs("w1", [queue], 4, 60_000, { perGroup: 2 }))).toEqual([b, b]);
    expect(await claimJobs("w1", [queue], 4, 60_000, { perGroup: 2 })).toEqual([]);
    // Another worker has its own slots: both groups have 2 leased, so it takes B's last job and A's next ones.
    const other = groupsOf(await claimJobs("w2", [queue], 4, 60_000, { perGroup: 2 }));
    expect(other.sort()).toEqual([a, a, b].sort());
    expect(await db.job.count({ where: { queue, lockedBy: null } })).toBe(6);
    await db.job.deleteMany({ where: { queue } });
  });

  it("still runs jobs without a group, as a group of their own", async () => {
    const queue = queueName("ungrouped");
    const a = `A-${queue}`;
    await dueJobs(queue, a, 8, 60_000);
    await dueJobs(queue, null, 2, 1_000);
    const first = groupsOf(await claimJobs("w-ungrouped", [queue], 4, 60_000, { perGroup: 3 }));
    expect(count(first, "none")).toBe(2);
    await db.job.deleteMany({ where: { queue } });

    const ran: string[] = [];
    await dueJobs(queue, null, 5, 1_000);
    await dueJobs(queue, a, 5, 2_000);
    const worker = startWorker({
      queues: { [queue]: { handle: async (payload: { group: string | null }) => (ran.push(payload.group ?? "none"), { done: true as const }) } },
      pollMs: 20,
    });
    await until(async () => (await db.job.count({ where: { queue } })) === 0);
    await worker.stop();
    expect(count(ran, "none")).toBe(5);
    expect(count(ran, a)).toBe(5);
  });

  it("starts another workspace's job at once while one workspace floods the worker", async () => {
    const queue = queueName("flood");
    const [a, b] = [`A-${queue}`, `B-${queue}`];
    const started: string[] = [];
    const worker = startWorker({
      queues: {
        [queue]: {
          handle: async (payload: { group: string }) => {
            started.push(payload.group);
            await sleep(40);
            return { done: true as const };
          },
        },
      },
      concurrency: 4,
      pollMs: 20,
    });
    await dueJobs(queue, a, 40, 1_000);
    await until(() => started.length > 0);
    const aBefore = started.length;
    await dueJobs(queue, b, 1, 0);
    await until(() => started.includes(b));
    // First come first served would run A's 40 older jobs first; the fair claim runs B's next, at most a claim
    // already under way (A holds at most concurrency − 1 = 3 slots) slipping in between.
    expect(started.indexOf(b) - aBefore).toBeLessThanOrEqual(3);
    expect(started.length).toBeLessThan(40);
    await until(async () => (await db.job.count({ where: { queue } })) === 0);
    await worker.stop();
  });
});
