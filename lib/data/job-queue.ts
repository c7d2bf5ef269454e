import "server-only";
import pg from "pg";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * The job queue's SQL (the queue's rules are in lib/jobs/queue.ts, the worker in lib/jobs/worker.ts): raw statements
 * on the `Job` and `DeadJob` tables and the LISTEN connection of `atelier_jobs`. What the statements promise:
 * - Claims take due jobs with FOR UPDATE SKIP LOCKED under a lease (`lockedUntil`), fairly between groups
 *   (`CLAIM_STATEMENT`); every write that finishes, hands back or archives a job is conditional on `lockedBy`, so a
 *   worker that lost its lease changes nothing (its write counts 0 rows).
 * - Every write that sets a job's `runAt` notifies `atelier_jobs` with the queue name (due now) or
 *   `<queue>@<runAt in Unix ms>`, in the same statement or transaction, so the notice is sent exactly when it commits.
 * - A dead job moves to `DeadJob` in one statement (the lease-checked DELETE feeds the INSERT); the archive is then
 *   pruned to 30 days and 10,000 rows.
 * Times are compared in SQL as instants (`timestamptz` columns, now(), parameters carrying their offset).
 */

export const JOBS_CHANNEL = "atelier_jobs";
const NOW = "now()";

/** SQL: the notice for a row's queue and runAt (`j` is the row's alias). Epoch of a UTC `timestamp` is its Unix time. */
const NOTICE_OF = (alias: string) =>
  `${alias}."queue" || '@' || floor(EXTRACT(EPOCH FROM ${alias}."runAt") * 1000)::bigint::text`;

export type JobPayload = Prisma.InputJsonValue;

export interface JobRow {
  id: bigint;
  queue: string;
  key: string | null;
  groupKey: string | null;
  payload: unknown;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
}

/** What `enqueue` writes with: the client, or a transaction (so a job exists exactly when the row it is about commits). */
export type JobExecutor = Pick<Prisma.TransactionClient, "$executeRaw" | "$queryRaw">;

export interface EnqueueInput {
  queue: string;
  key?: string;
  /** Whose work it is, for the fair claim: the workspace id (none = the group of jobs without one). */
  groupKey?: string | null;
  payload: JobPayload;
  runAt?: Date;
  maxAttempts?: number;
}

/** Adds a job (in the caller's transaction when given one). Returns false when a job with this key already exists. */
export async function enqueue(tx: JobExecutor, input: EnqueueInput): Promise<boolean> {
  const payload = JSON.stringify(input.payload);
  const runAt = input.runAt ? input.runAt.toISOString() : null;
  const inserted = await tx.$executeRaw`
    INSERT INTO "Job" ("queue", "key", "groupKey", "payload", "runAt", "maxAttempts", "updatedAt")
    VALUES (${input.queue}, ${input.key ?? null}, ${input.groupKey ?? null}, ${payload}::jsonb,
            COALESCE(${runAt}::timestamptz, now()),
            ${input.maxAttempts ?? 25}, now())
    ON CONFLICT ("key") DO NOTHING`;
  // Delivered at commit (or at once outside a transaction); dropped on rollback. A job for later carries its time, so
  // every worker sets its timer for it instead of waiting for its next poll.
  const notice = input.runAt && input.runAt.getTime() > Date.now() ? `${input.queue}@${input.runAt.getTime()}` : input.queue;
  await tx.$queryRaw`SELECT pg_notify(${JOBS_CHANNEL}, ${notice})::text AS notified`;
  return inserted > 0;
}

export interface ClaimOptions {
  /**
   * At most this many jobs of one group leased by this worker at once (jobs without a group count as one group).
   * The worker passes its concurrency minus one, so a slot is always left for another group's next job.
   */
  perGroup?: number;
}

const NO_CAP = 2 ** 31 - 1;

const FREE = `("lockedUntil" IS NULL OR "lockedUntil" < ${NOW})`;

/** The claim ($1 worker, $2 lease ms, $3 queues, $4 limit, $5 per-group cap); exported for its EXPLAIN in bench/. */
export const CLAIM_STATEMENT = `WITH RECURSIVE groups AS (
       (SELECT "groupKey" FROM "Job" WHERE "groupKey" IS NOT NULL ORDER BY "groupKey" LIMIT 1)
       UNION ALL
       SELECT (SELECT j."groupKey" FROM "Job" j WHERE j."groupKey" > groups."groupKey" ORDER BY j."groupKey" LIMIT 1)
         FROM groups WHERE groups."groupKey" IS NOT NULL
     ),
     offers AS (
       SELECT offer."id", offer."groupKey", offer."runAt"
         FROM groups CROSS JOIN LATERAL (
           SELECT "id", "groupKey", "runAt" FROM "Job"
            WHERE "groupKey" = groups."groupKey" AND "runAt" <= ${NOW} AND "queue" = ANY($3::text[]) AND ${FREE}
            ORDER BY "runAt" LIMIT $4) offer
       UNION ALL
       (SELECT "id", NULL::text, "runAt" FROM "Job"
         WHERE "groupKey" IS NULL AND "runAt" <= ${NOW} AND "queue" = ANY($3::text[]) AND ${FREE}
         ORDER BY "runAt" LIMIT $4)
     ),
     leased AS (
       SELECT "groupKey",
              count(*) FILTER (WHERE "lockedUntil" >= ${NOW}) AS "everywhere",
              count(*) FILTER (WHERE "lockedBy" = $1) AS "here"
         FROM "Job" WHERE "lockedBy" IS NOT NULL
        GROUP BY "groupKey"
     ),
     turns AS (
       SELECT ranked."id", ranked."runAt", COALESCE(leased."everywhere", 0) + ranked."nth" AS "turn"
         FROM (SELECT offers.*, row_number() OVER (PARTITION BY offers."groupKey" ORDER BY offers."runAt", offers."id") AS "nth"
                 FROM offers) ranked
         LEFT JOIN leased ON leased."groupKey" IS NOT DISTINCT FROM ranked."groupKey"
        WHERE COALESCE(leased."here", 0) + ranked."nth" <= $5
     ),
     -- Picked once: as an IN (…) subquery the planner may run the locking LIMIT again for the join, and a claim
     -- limited to 4 then leased 6 jobs (seen under concurrent claims). MATERIALIZED evaluates it exactly once.
     picked AS MATERIALIZED (
       SELECT j."id" FROM "Job" j JOIN turns ON turns."id" = j."id"
        WHERE (j."lockedUntil" IS NULL OR j."lockedUntil" < ${NOW})
        ORDER BY turns."turn", turns."runAt", j."id" LIMIT $4
        FOR UPDATE OF j SKIP LOCKED
     )
     UPDATE "Job" SET "lockedBy" = $1, "lockedUntil" = ${NOW} + ($2::int * interval '1 millisecond'),
            "attempts" = "attempts" + 1, "updatedAt" = ${NOW}
      WHERE "id" IN (SELECT "id" FROM picked)
      RETURNING "id", "queue", "key", "groupKey", "payload", "runAt", "attempts", "maxAttempts", "lockedBy", "lockedUntil", "lastError"`;

/**
 * Claims up to `limit` due jobs of these queues for `workerId`, under a lease of `leaseMs`.
 *
 * Fair between groups, in one statement: each group offers its oldest due jobs, and the n-th job of a group that has
 * k jobs leased right now (by any worker) takes its turn at k + n, oldest first among equal turns. So a group with 20
 * due jobs and one with 2 alternate, and a group already busy waits behind an idle one. A group whose jobs leased by
 * this worker reach `perGroup` gets no more from it. Finding the groups is a skip scan of (groupKey, runAt) and each
 * group's offer a bounded range of it, so the cost grows with the number of groups that have jobs, not with the
 * number of due jobs; the leased rows are found through (lockedBy), whose many nulls are not read.
 * The turns are computed from a snapshot: two workers claiming at the same moment may both favour one group once.
 * Correctness does not depend on them: FOR UPDATE SKIP LOCKED with the lease re-checked still hands each job to one
 * worker, and `perGroup` counts only this worker's own leases (it claims one batch at a time).
 */
export async function claimJobs(workerId: string, queues: string[], limit: number, leaseMs: number, options: ClaimOptions = {}): Promise<JobRow[]> {
  if (limit <= 0 || queues.length === 0) return [];
  const perGroup = Math.max(1, Math.floor(options.perGroup ?? NO_CAP));
  return db.$queryRawUnsafe<JobRow[]>(CLAIM_STATEMENT, workerId, leaseMs, queues, limit, perGroup);
}

/** Extends the lease; false when the job is no longer ours (lease lost to another worker, or deleted). */
export async function extendLease(job: JobRow, workerId: string, leaseMs: number): Promise<boolean> {
  const count = await db.$executeRawUnsafe(
    `UPDATE "Job" SET "lockedUntil" = ${NOW} + ($1::int * interval '1 millisecond') WHERE "id" = $2 AND "lockedBy" = $3`,
    leaseMs,
    job.id,
    workerId,
  );
  return count > 0;
}

export async function completeJob(job: JobRow, workerId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "Job" WHERE "id" = ${job.id} AND "lockedBy" = ${workerId}`;
}

/**
 * Hands the job back for `runAt` (lease-checked) and, in the same statement, tells every worker when it is due: a
 * poll 0.5 s from now is then picked up at 0.5 s by whichever instance is idle, not at its next 1 s poll.
 */
export async function rescheduleJob(job: JobRow, workerId: string, runAt: Date, payload?: JobPayload): Promise<void> {
  const body = payload === undefined ? null : JSON.stringify(payload);
  await db.$queryRawUnsafe(
    `WITH moved AS (
       UPDATE "Job" j SET "runAt" = $1::timestamptz, "lockedBy" = NULL, "lockedUntil" = NULL,
              "attempts" = 0, "lastError" = NULL, "payload" = COALESCE($2::jsonb, "payload"), "updatedAt" = ${NOW}
        WHERE j."id" = $3 AND j."lockedBy" = $4
        RETURNING j."queue", j."runAt")
     SELECT pg_notify('${JOBS_CHANNEL}', ${NOTICE_OF("moved")})::text AS notified FROM moved`,
    runAt.toISOString(),
    body,
    job.id,
    workerId,
  );
}

/**
 * Hands a failed job back for `runAt` with its error (lease-checked), and tells every worker when it is due. The
 * attempts are kept: they count towards maxAttempts.
 */
export async function rescheduleFailedJob(job: JobRow, workerId: string, runAt: Date, lastError: string): Promise<void> {
  await db.$queryRawUnsafe(
    `WITH moved AS (
       UPDATE "Job" j SET "runAt" = $1::timestamptz, "lockedBy" = NULL, "lockedUntil" = NULL,
              "lastError" = $2, "updatedAt" = ${NOW}
        WHERE j."id" = $3 AND j."lockedBy" = $4
        RETURNING j."queue", j."runAt")
     SELECT pg_notify('${JOBS_CHANNEL}', ${NOTICE_OF("moved")})::text AS notified FROM moved`,
    runAt.toISOString(),
    lastError,
    job.id,
    workerId,
  );
}

export type NextRunAt = { inMs: number | null; dbNowMs: number };

const NEXT_RUN_AT_STATEMENT = `SELECT (EXTRACT(EPOCH FROM (min(next."runAt") - ${NOW})) * 1000)::float8 AS "inMs",
            (EXTRACT(EPOCH FROM ${NOW}) * 1000)::float8 AS "dbNowMs"
       FROM unnest($1::text[]) AS q("name")
       LEFT JOIN LATERAL (
         SELECT "runAt" FROM "Job"
          WHERE "queue" = q."name" AND "runAt" > ${NOW} AND ${FREE}
          ORDER BY "runAt" LIMIT 1) next ON true`;

const nextOf = (rows: NextRunAt[]): NextRunAt => ({ inMs: rows[0]?.inMs ?? null, dbNowMs: rows[0]?.dbNowMs ?? Date.now() });

/**
 * When the next job of these queues that is not due yet becomes due, as a delay from the database's now (so a
 * worker's own clock does not matter), plus that now (Unix ms) so notices can be read against the same clock.
 * One index probe of (queue, runAt) per queue. Jobs already due are not its concern: the claim takes them, and one
 * it could not take (its group at the worker's cap) waits for a slot to free, which wakes the worker anyway.
 */
export async function nextRunAt(queues: string[]): Promise<NextRunAt> {
  return nextOf(await db.$queryRawUnsafe<NextRunAt[]>(NEXT_RUN_AT_STATEMENT, queues));
}

/**
 * A worker's round: `claimJobs`, then `nextRunAt`, in one transaction so that both read the same now() (PostgreSQL's
 * now() is the transaction's start). A job that falls due between two separate statements would otherwise be neither
 * claimed (not due yet) nor timed (due already), and wait for the next poll; and a due job left to its group's cap
 * is never "next", so a worker cannot spin on it.
 */
export async function claimRound(
  workerId: string,
  queues: string[],
  limit: number,
  leaseMs: number,
  options: ClaimOptions = {},
): Promise<{ jobs: JobRow[]; next: NextRunAt }> {
  const perGroup = Math.max(1, Math.floor(options.perGroup ?? NO_CAP));
  if (limit <= 0 || queues.length === 0) return { jobs: [], next: await nextRunAt(queues) };
  const [jobs, next] = await db.$transaction([
    db.$queryRawUnsafe<JobRow[]>(CLAIM_STATEMENT, workerId, leaseMs, queues, limit, perGroup),
    db.$queryRawUnsafe<NextRunAt[]>(NEXT_RUN_AT_STATEMENT, queues),
  ]);
  return { jobs, next: nextOf(next) };
}

/** Unlocks without counting an attempt (the worker is shutting down), and tells the other workers it is due. */
export async function releaseJob(job: JobRow, workerId: string): Promise<void> {
  await db.$queryRawUnsafe(
    `WITH released AS (
       UPDATE "Job" j SET "lockedBy" = NULL, "lockedUntil" = NULL, "attempts" = GREATEST(0, "attempts" - 1)
        WHERE j."id" = $1 AND j."lockedBy" = $2
        RETURNING j."queue")
     SELECT pg_notify('${JOBS_CHANNEL}', released."queue")::text AS notified FROM released`,
    job.id,
    workerId,
  );
}

/** The archive's bounds (docs/architecture.md, "Jobs"): older dead jobs, and all but the newest, are pruned. */
export const DEAD_JOB_RETENTION = { days: 30, rows: 10_000 };

/**
 * Moves a job that is given up from `Job` to `DeadJob` in one statement (lease-checked: a worker that lost the job
 * archives nothing), with `lastError` (the caller's sanitized line); true when the job was ours and is archived.
 * Then prunes the archive to its bounds (older than 30 days; beyond the newest 10,000 by id), after the move rather
 * than in its transaction, and with SKIP LOCKED: jobs dying together (a provider outage) must neither queue behind
 * each other's pruning nor deadlock on it; a row one of them skips, another has already taken.
 */
export async function archiveDeadJob(job: JobRow, workerId: string, lastError: string): Promise<boolean> {
  const moved = await db.$executeRawUnsafe(
    `WITH gone AS (
       DELETE FROM "Job" WHERE "id" = $1 AND "lockedBy" = $2
       RETURNING "id", "queue", "key", "groupKey", "payload", "attempts", "createdAt")
     INSERT INTO "DeadJob" ("jobId", "queue", "key", "groupKey", "payload", "attempts", "lastError", "createdAt")
     SELECT "id", "queue", "key", "groupKey", "payload", "attempts", $3, "createdAt" FROM gone`,
    job.id,
    workerId,
    lastError,
  );
  if (moved > 0) await pruneDeadJobs();
  return moved > 0;
}

async function pruneDeadJobs(): Promise<void> {
  await db.$executeRawUnsafe(
    `DELETE FROM "DeadJob" WHERE "id" IN (
       SELECT "id" FROM "DeadJob" WHERE "diedAt" < now() - ($1::int * interval '1 day') FOR UPDATE SKIP LOCKED)`,
    DEAD_JOB_RETENTION.days,
  );
  await db.$executeRawUnsafe(
    `DELETE FROM "DeadJob" WHERE "id" IN (
       SELECT "id" FROM "DeadJob" ORDER BY "id" DESC OFFSET $1 FOR UPDATE SKIP LOCKED)`,
    DEAD_JOB_RETENTION.rows,
  );
}

export interface JobNoticeListener {
  close(): Promise<void>;
}

/**
 * A dedicated connection LISTENing on `atelier_jobs`: `onNotice` gets each payload; `onLost` is told once when the
 * connection fails after it was up (the caller reconnects). Rejects, with the connection closed, when it cannot
 * connect or LISTEN.
 */
export async function listenForJobNotices(
  onNotice: (payload: string | undefined) => void,
  onLost: (error: Error) => void,
): Promise<JobNoticeListener> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  client.on("notification", (message) => onNotice(message.payload));
  client.on("error", (error) => {
    void client.end().catch(() => undefined);
    onLost(error);
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${JOBS_CHANNEL}`);
  } catch (error) {
    void client.end().catch(() => undefined);
    throw error;
  }
  return { close: () => client.end() };
}
