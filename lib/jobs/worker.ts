import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import {
  JOBS_CHANNEL,
  claimJobs,
  completeJob,
  extendLease,
  failJob,
  releaseJob,
  rescheduleJob,
  type JobRow,
  type QueueDefinition,
} from "@/lib/jobs/queue";
import { db } from "@/lib/db";

/**
 * A worker: claims due jobs of its queues (lib/jobs/queue.ts) and runs their handlers, at most `concurrency` at a
 * time and at most `perGroup` of one workspace. It sleeps until a NOTIFY on `atelier_jobs` (a dedicated pg connection
 * LISTENs; it reconnects on failure) or the next poll (1 s). Leases are extended while a handler runs; a handler that loses its lease is aborted
 * (its signal) and its result discarded. `stop()` stops claiming, aborts running handlers and waits for them
 * (up to `stopTimeoutMs`).
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

export interface WorkerHandle {
  readonly workerId: string;
  stop(): Promise<void>;
}

export function startWorker(options: WorkerOptions): WorkerHandle {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const perGroup = Math.max(1, Math.min(concurrency, options.perGroup ?? concurrency - 1));
  const pollMs = options.pollMs ?? 1000;
  // Short leases, renewed every leaseMs/3 while a handler runs: a job whose process was killed is picked up again within 15 s.
  const leaseMs = options.leaseMs ?? 15_000;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const queues = options.queues;
  const names = Object.keys(queues);
  const stopController = new AbortController();
  const running = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  let listener: pg.Client | null = null;
  let listenRetry: NodeJS.Timeout | null = null;
  const renewals = new Set<NodeJS.Timeout>();

  const poke = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  async function listen() {
    if (stopController.signal.aborted) return;
    const client = new pg.Client({ connectionString: env().DATABASE_URL });
    client.on("notification", (message) => {
      if (message.payload && names.includes(message.payload)) poke();
    });
    client.on("error", (error) => {
      logger.warn("jobs: listener connection lost; polling until it is back", { error: error.message });
      void client.end().catch(() => undefined);
      if (listener === client) listener = null;
      if (!stopController.signal.aborted) listenRetry = setTimeout(() => void listen(), 5000);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
      if (stopController.signal.aborted) {
        await client.end();
        return;
      }
      listener = client;
    } catch (error) {
      void client.end().catch(() => undefined);
      logger.warn("jobs: cannot LISTEN; polling only", { error: (error as Error).message });
      if (!stopController.signal.aborted) listenRetry = setTimeout(() => void listen(), 5000);
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
    try {
      if (!definition) throw new Error(`no handler for queue ${job.queue}`);
      if (job.attempts > job.maxAttempts) throw new DeadJob(job.lastError ?? "too many attempts");
      const result = await definition.handle(job.payload, { job, signal: controller.signal });
      if (lost) return;
      if ("done" in result) await completeJob(job, workerId);
      else await rescheduleJob(job, workerId, result.retryAt, result.payload);
    } catch (error) {
      if (lost) return; // another worker owns the job now
      if (stopController.signal.aborted) {
        // Shutting down: hand the job back at once rather than after the lease (its handler is safe to re-run).
        await releaseJob(job, workerId);
        return;
      }
      logger.warn("jobs: handler failed", { queue: job.queue, jobId: String(job.id), attempt: job.attempts, error: (error as Error)?.message });
      if (job.attempts >= job.maxAttempts || error instanceof DeadJob) {
        try {
          await definition?.onDead?.(job.payload, error);
        } finally {
          await completeJob(job, workerId);
        }
      } else {
        await failJob(job, workerId, error);
      }
    } finally {
      clearInterval(renew);
      renewals.delete(renew);
      stopController.signal.removeEventListener("abort", onStop);
    }
  }

  async function loop() {
    while (!stopController.signal.aborted) {
      let claimed: JobRow[] = [];
      try {
        claimed = await claimJobs(workerId, names, concurrency - running.size, leaseMs, { perGroup });
      } catch (error) {
        if (stopController.signal.aborted) break;
        logger.warn("jobs: claim failed", { error: (error as Error).message });
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
      if (stopController.signal.aborted) break;
      // Full: wait for a slot. Nothing due: wait for a NOTIFY or the next poll.
      if (claimed.length === 0 || running.size >= concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => poke(), pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          if (stopController.signal.aborted) poke();
        });
      }
    }
  }

  if (options.listen !== false) void listen();
  const looping = loop();

  return {
    workerId,
    async stop() {
      if (stopController.signal.aborted) return looping;
      stopController.abort();
      poke();
      if (listenRetry) clearTimeout(listenRetry);
      await listener?.end().catch(() => undefined);
      listener = null;
      await looping;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => setTimeout(resolve, options.stopTimeoutMs ?? 10_000)),
      ]);
      // A handler that ignored its abort keeps running, but no longer holds its lease: another worker takes over.
      for (const renew of renewals) clearInterval(renew);
      renewals.clear();
    },
  };
}

class DeadJob extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadJob";
  }
}

/** Jobs waiting in these queues (for tests and health checks). */
export async function pendingJobs(queue: string): Promise<number> {
  return db.job.count({ where: { queue } });
}
