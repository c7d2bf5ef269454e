import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import {
  archiveDeadJob,
  claimRound,
  completeJob,
  extendLease,
  listenForJobNotices,
  releaseJob,
  rescheduleJob,
  type JobNoticeListener,
  type JobRow,
} from "@/lib/data/job-queue";
import { jobErrorLine } from "@/lib/jobs/dead-jobs";
import { failJob, parseJobNotice, type QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/metrics/registry.mjs";
import type { Drain } from "@/lib/shutdown.mjs";

/**
 * A worker: claims due jobs of its queues (lib/jobs/queue.ts) and runs their handlers, at most `concurrency` at a
 * time and at most `perGroup` of one workspace. Its schedule is its own: after each claim round it sleeps until the
 * earliest later `runAt` of its queues (`claimRound` reads it with the claim, in the database's clock), a NOTIFY on
 * `atelier_jobs` (a dedicated pg connection LISTENs; it reconnects on failure) saying a job is due now or earlier than
 * that, a handler finishing, or the fallback poll (`pollMs`, 1 s), whichever comes first. A wake-up that arrives while
 * it is busy claiming is kept, not lost. So a job is picked up within a few ms of its `runAt` by whichever instance
 * is idle.
 * Leases are extended while a handler runs; a handler that loses its lease is aborted (its signal) and its result
 * discarded. `stop()` stops claiming, lets running handlers finish for up to `graceMs` (default 0: at once), then
 * aborts those still running, which hand their jobs back to the queue (`releaseJob`: due again at once, for any
 * instance), and waits for them (up to `stopTimeoutMs`). Each attempt's duration is recorded per queue and outcome
 * (`atelier_job_duration_seconds`, lib/metrics/registry.mjs).
 */
export interface WorkerOptions {
  concurrency?: number;
  /**
   * At most this many jobs of one group (workspace) at once in this worker; default concurrency − 1, so one slot is
   * always free for another workspace's next job while the fair claim (claimJobs) shares the rest.
   */
  perGroup?: number;
  queues: Record<string, QueueDefinition<never>>;
  pollMs?: number;
  leaseMs?: number;
  workerId?: string;
  /** Listen for NOTIFY (default true). */
  listen?: boolean;
  stopTimeoutMs?: number;
}

export interface WorkerStopOptions {
  /** How long running handlers may go on before they are aborted and their jobs handed back (ms, default 0). */
  graceMs?: number;
}

export interface WorkerHandle {
  readonly workerId: string;
  stop(options?: WorkerStopOptions): Promise<void>;
}

/** How one attempt ended, for the job duration metric. */
type AttemptOutcome = "done" | "rescheduled" | "failed" | "dead" | "released" | "lost";

export function startWorker(options: WorkerOptions): WorkerHandle {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const perGroup = Math.max(1, Math.min(concurrency, options.perGroup ?? concurrency - 1));
  const pollMs = options.pollMs ?? 1000;
  // Short leases, renewed every leaseMs/3 while a handler runs: a job whose process was killed is picked up again within 15 s.
  const leaseMs = options.leaseMs ?? 15_000;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const queues = options.queues;
  const names = Object.keys(queues);
  // Two stages: `claiming` ends first (no new jobs), `stopController` aborts the handlers still running after the grace.
  const claiming = new AbortController();
  const stopController = new AbortController();
  let stopping: Promise<void> | null = null;
  const { jobDuration } = metrics();
  const running = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  // A wake-up that came while the loop was not asleep (claiming): its next sleep is skipped.
  let woken = false;
  // The sleeping loop's alarm (local ms), and the earliest runAt heard of since the current round began (local ms).
  let alarm: { at: number; timer: NodeJS.Timeout } | null = null;
  let heardDueAt = Infinity;
  // The database clock minus ours, so runAt values (database time) become local timers; taken from the quickest round
  // trip seen (a slow one could put it off by half its time), and refreshed by any about as quick.
  let clockOffsetMs = 0;
  let clockRttMs = Infinity;
  let listener: JobNoticeListener | null = null;
  let listenRetry: NodeJS.Timeout | null = null;
  const renewals = new Set<NodeJS.Timeout>();

  const poke = () => {
    const resolve = wake;
    wake = null;
    if (resolve) resolve();
    else woken = true;
  };

  /** A job of ours is due at `runAtMs` (database clock): wake then, if that is earlier than planned. */
  const dueAt = (runAtMs: number) => {
    const at = runAtMs - clockOffsetMs;
    if (at <= Date.now()) return poke();
    heardDueAt = Math.min(heardDueAt, at);
    if (alarm && at < alarm.at) setAlarm(at);
  };

  function setAlarm(at: number) {
    if (alarm) clearTimeout(alarm.timer);
    // +1 ms: timers may fire a little early, and a claim that runs before runAt finds nothing.
    alarm = { at, timer: setTimeout(() => poke(), Math.max(0, at - Date.now() + 1)) };
  }

  async function listen() {
    if (claiming.signal.aborted) return;
    const onNotice = (payload: string | undefined) => {
      const notice = parseJobNotice(payload);
      if (!notice || !names.includes(notice.queue)) return;
      if (notice.runAtMs === null) poke();
      else dueAt(notice.runAtMs);
    };
    let opened: JobNoticeListener | null = null;
    const onLost = (error: Error) => {
      logger.warn("jobs: listener connection lost; polling until it is back", { error: error.message });
      if (opened !== null && listener === opened) listener = null;
      if (!claiming.signal.aborted) listenRetry = setTimeout(() => void listen(), 5000);
    };
    try {
      opened = await listenForJobNotices(onNotice, onLost);
      if (claiming.signal.aborted) {
        await opened.close();
        return;
      }
      listener = opened;
      poke(); // notices sent while it was not listening are lost: look at the table again
    } catch (error) {
      logger.warn("jobs: cannot LISTEN; polling only", { error: (error as Error).message });
      if (!claiming.signal.aborted) listenRetry = setTimeout(() => void listen(), 5000);
    }
  }

  async function run(job: JobRow) {
    const definition = queues[job.queue] as QueueDefinition<unknown> | undefined;
    const controller = new AbortController();
    const onStop = () => controller.abort();
    stopController.signal.addEventListener("abort", onStop);
    let lost = false;
    const renew = setInterval(() => {
      extendLease(job, workerId, leaseMs)
        .then((ours) => {
          if (!ours) {
            lost = true;
            controller.abort();
          }
        })
        .catch(() => undefined);
    }, Math.max(50, Math.floor(leaseMs / 3)));
    renewals.add(renew);
    const startedAt = performance.now();
    let outcome: AttemptOutcome = "failed";
    try {
      if (!definition) throw new Error(`no handler for queue ${job.queue}`);
      if (job.attempts > job.maxAttempts) throw new DeadJob(job.lastError ?? "too many attempts");
      const result = await definition.handle(job.payload, { job, signal: controller.signal });
      if (lost) {
        outcome = "lost";
        return;
      }
      if ("done" in result) await completeJob(job, workerId);
      else await rescheduleJob(job, workerId, result.retryAt, result.payload);
      outcome = "done" in result ? "done" : "rescheduled";
    } catch (error) {
      if (lost) {
        outcome = "lost";
        return; // another worker owns the job now
      }
      if (stopController.signal.aborted) {
        // Shutting down: hand the job back at once rather than after the lease (its handler is safe to re-run).
        outcome = "released";
        await releaseJob(job, workerId);
        return;
      }
      logger.warn("jobs: handler failed", { queue: job.queue, jobId: String(job.id), attempt: job.attempts, error: jobErrorLine(error) }); // redacted: logs are no place for a key
      if (job.attempts >= job.maxAttempts || error instanceof DeadJob) {
        outcome = "dead";
        try {
          await definition?.onDead?.(job.payload, error);
        } finally {
          // Kept in the DeadJob archive (Settings → Jobs), not deleted: lease-checked like every finishing write.
          await archiveDeadJob(job, workerId, jobErrorLine(error));
        }
      } else {
        await failJob(job, workerId, error);
      }
    } finally {
      jobDuration.observe({ queue: job.queue, outcome }, (performance.now() - startedAt) / 1000);
      clearInterval(renew);
      renewals.delete(renew);
      stopController.signal.removeEventListener("abort", onStop);
    }
  }

  async function loop() {
    while (!claiming.signal.aborted) {
      // From here on, what the claim below may miss (a commit after it, a handler finishing) is heard and kept.
      woken = false;
      heardDueAt = Infinity;
      let claimed: JobRow[] = [];
      // Full: only a finishing handler (it pokes) can give a due job a slot, so there is nothing to time.
      let wakeAt = Date.now() + pollMs;
      const free = concurrency - running.size;
      if (free > 0) {
        try {
          const sentAt = Date.now();
          const round = await claimRound(workerId, names, free, leaseMs, { perGroup });
          claimed = round.jobs;
          // The database's now() is the round's start, just after sentAt: early rather than late (an early claim finds
          // nothing and looks again). The offset comes from the quickest round seen, refreshed by any about as quick.
          const took = Date.now() - sentAt;
          if (took <= clockRttMs + 2) {
            clockOffsetMs = round.next.dbNowMs - sentAt;
            clockRttMs = Math.min(clockRttMs, took);
          }
          if (round.next.inMs !== null) wakeAt = Math.min(wakeAt, sentAt + round.next.inMs);
        } catch (error) {
          if (claiming.signal.aborted) break;
          logger.warn("jobs: claim failed", { error: (error as Error).message });
        }
      }
      for (const job of claimed) {
        const task = run(job)
          .catch((error: unknown) => logger.error("jobs: bookkeeping failed", { jobId: String(job.id), error: (error as Error)?.message }))
          .finally(() => {
            running.delete(task);
            poke();
          });
        running.add(task);
      }
      if (claiming.signal.aborted) break;
      // Claimed and a slot is left: claim again at once. Otherwise sleep until the next job is due (or a wake-up).
      if (claimed.length === 0 || running.size >= concurrency) {
        if (woken) continue;
        const at = Math.min(wakeAt, heardDueAt);
        await new Promise<void>((resolve) => {
          wake = () => {
            if (alarm) clearTimeout(alarm.timer);
            alarm = null;
            resolve();
          };
          setAlarm(at);
        });
      }
    }
  }

  if (options.listen !== false) void listen();
  const looping = loop();

  return {
    workerId,
    stop(stopOptions: WorkerStopOptions = {}) {
      stopping ??= (async () => {
        claiming.abort();
        poke();
        if (alarm) clearTimeout(alarm.timer);
        if (listenRetry) clearTimeout(listenRetry);
        await listener?.close().catch(() => undefined);
        listener = null;
        await looping;
        // The grace: handlers go on (their leases renewed) and finish normally; a finish pokes, which nothing hears now.
        const graceMs = stopOptions.graceMs ?? 0;
        if (graceMs > 0 && running.size > 0) await settledOrAfter([...running], graceMs);
        stopController.abort();
        await settledOrAfter([...running], options.stopTimeoutMs ?? 10_000);
        // A handler that ignored its abort keeps running, but no longer holds its lease: another worker takes over.
        for (const renew of renewals) clearInterval(renew);
        renewals.clear();
      })();
      return stopping;
    },
  };
}

/**
 * The worker's part of the stop sequence (lib/shutdown.mjs): no new claims at once, running jobs go on until the
 * plan's `finishBy`, and those still running then are aborted and handed back to the queue.
 */
export function workerDrain(worker: WorkerHandle): Drain {
  return (plan) => worker.stop({ graceMs: Math.max(0, plan.finishBy - Date.now()) });
}

/** Resolves when every task has settled, or after `ms`, whichever comes first. */
async function settledOrAfter(tasks: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(tasks), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

class DeadJob extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadJob";
  }
}
