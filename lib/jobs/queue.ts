import "server-only";
import { rescheduleFailedJob, type JobPayload, type JobRow } from "@/lib/data/job-queue";
import { jobErrorLine } from "@/lib/jobs/dead-jobs";

/**
 * The job queue, on the `Job` table of the shared PostgreSQL (its SQL is lib/data/job-queue.ts). What it promises:
 * - `enqueue` works inside the caller's transaction, so a job exists exactly when the row it is about commits; a
 *   `key` makes it idempotent (at most one pending job per key). It notifies workers (`atelier_jobs`) at commit.
 * - Every write that sets a job's `runAt` tells the workers when it is due: the NOTIFY payload is the queue name
 *   (due now) or `<queue>@<runAt in Unix ms>` (`parseJobNotice`), so each instance can move its timer earlier without
 *   a query, and `claimRound` gives a worker, with its claim, the earliest later `runAt` of its queues
 *   (lib/jobs/worker.ts sleeps until then).
 * - A job runs in one worker at a time, across processes: workers claim due jobs with FOR UPDATE SKIP LOCKED under
 *   a lease (`lockedUntil`), extended while the handler runs; a worker that dies loses its lease and the job runs
 *   again elsewhere. Every finishing write is conditional on `lockedBy`, so a worker that lost its lease cannot undo
 *   the work of the one that took over. Handlers must therefore be safe to run again (the generation state machine
 *   is: it never sends a create twice).
 * - Claims are fair between groups (`groupKey`: a workspace), not first come first served, so one workspace's flood of
 *   jobs cannot starve another's: see `claimJobs`.
 * - A handler answers `{ done: true }` (the job is deleted) or `{ retryAt, payload? }` (rescheduled, attempts reset:
 *   polling is not failing). A thrown error reschedules with capped exponential backoff and keeps `lastError`; after
 *   `maxAttempts` claims in a row without an answer, the queue's `onDead` runs and the job moves to the `DeadJob`
 *   archive (lib/jobs/dead-jobs.ts says what its error line may hold).
 */

// The queue's statements, under the names its callers have always used.
export {
  CLAIM_STATEMENT,
  JOBS_CHANNEL,
  claimJobs,
  claimRound,
  completeJob,
  enqueue,
  extendLease,
  nextRunAt,
  releaseJob,
  rescheduleJob,
  type ClaimOptions,
  type EnqueueInput,
  type JobPayload,
  type JobRow,
  type NextRunAt,
} from "@/lib/data/job-queue";

/** A NOTIFY payload on JOBS_CHANNEL: which queue, and when the job is due (Unix ms, database clock) if not now. */
export type JobNotice = { queue: string; runAtMs: number | null };

export function parseJobNotice(payload: string | undefined): JobNotice | null {
  if (!payload) return null;
  const at = payload.lastIndexOf("@");
  if (at < 0) return { queue: payload, runAtMs: null };
  const runAtMs = Number(payload.slice(at + 1));
  return { queue: payload.slice(0, at), runAtMs: Number.isFinite(runAtMs) ? runAtMs : null };
}

export type JobResult = { done: true } | { retryAt: Date; payload?: JobPayload };

export interface JobContext {
  job: JobRow;
  /** Aborted when the worker stops or loses the job's lease. */
  signal: AbortSignal;
}

export interface QueueDefinition<P = unknown> {
  handle(payload: P, context: JobContext): Promise<JobResult>;
  /** Runs once when the job is given up after maxAttempts failures. */
  onDead?(payload: P, error: unknown): Promise<void>;
}

/** Backoff after the n-th failed attempt: 2 s, 4 s, 8 s ... capped at 5 minutes, with ±20% jitter. */
export function failureBackoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 1000 * 2 ** Math.max(1, attempts));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Hands a job whose handler threw back for a later attempt (backoff), keeping its error for the next one. */
export async function failJob(job: JobRow, workerId: string, error: unknown): Promise<void> {
  // The same bounded, redacted line a dead job keeps: `lastError` is read back by people (Settings → Jobs).
  await rescheduleFailedJob(job, workerId, new Date(Date.now() + failureBackoffMs(job.attempts)), jobErrorLine(error));
}
