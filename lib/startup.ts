import "server-only";
import { env, EnvError } from "@/lib/env";
import type { QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";

/** Called once when the Node.js server boots (instrumentation.ts): a bad configuration stops it with its reasons. */
export function checkConfiguration() {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const globalForWorker = globalThis as unknown as { atelierWorker?: { stop(): Promise<void> } };

/**
 * Starts the job worker (lib/jobs) in this process, once: a globalThis guard survives dev HMR re-evaluating this
 * module. ATELIER_WORKER=off skips it. SIGTERM/SIGINT stop it (running jobs are handed back at once) before exit.
 */
export function startBackgroundWorker() {
  if (env().ATELIER_WORKER === "off" || globalForWorker.atelierWorker) return;
  globalForWorker.atelierWorker = { stop: async () => undefined };
  void (async () => {
    const [{ startWorker }, { generationQueues }, { PURGE_QUEUE, purgeQueue }] = await Promise.all([
      import("@/lib/jobs/worker"),
      import("@/lib/generations/worker"),
      import("@/lib/gallery/trash"),
    ]);
    const queues = { ...generationQueues, [PURGE_QUEUE]: purgeQueue as QueueDefinition<never> };
    const worker = startWorker({ queues, concurrency: 4 });
    globalForWorker.atelierWorker = worker;
    logger.info("jobs: worker started", { workerId: worker.workerId });
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info("jobs: stopping worker", { signal });
      void worker.stop().finally(() => process.exit(0));
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  })().catch((error: unknown) => {
    globalForWorker.atelierWorker = undefined;
    logger.error("jobs: worker failed to start", { error });
  });
}
