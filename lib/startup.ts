import "server-only";
import { databaseRoleProblems, inspectDatabaseRole } from "@/lib/data/database-role";
import { env, EnvError, type Env } from "@/lib/env";
import type { QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import type { Storage } from "@/lib/storage/types";
import { installShutdownHandlers, isShuttingDown, onShutdown } from "@/lib/shutdown.mjs";

/**
 * Called once when the Node.js server boots (instrumentation.ts): a bad configuration stops it with its reasons. The
 * media store is then checked in the background (checkStorage).
 */
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
  void checkStorage();
}

/**
 * Whether the media store can be written now. A production server on S3 that can't reach its bucket stops with one
 * line saying why (bucket missing, credentials refused, store unreachable), rather than failing at the first upload;
 * the local disk, or S3 in development, only warns. The readiness route asks the same question later. `store` and
 * `settings` are for tests.
 */
export async function checkStorage(store?: Storage, settings: Pick<Env, "NODE_ENV" | "STORAGE_DRIVER"> = env()) {
  try {
    await (store ?? (await import("@/lib/storage/storage")).storage()).check();
  } catch (error) {
    const message = (error as Error).message;
    if (settings.NODE_ENV === "production" && settings.STORAGE_DRIVER === "s3") {
      console.error(`\nstorage: ${message}\n`);
      process.exit(1);
    }
    logger.warn(`storage: ${message}`);
  }
}

/**
 * Says at boot whether the app's database role could rewrite history: a superuser, the owner of "AuditEvent", or a
 * role allowed to UPDATE/DELETE/TRUNCATE it. Loud (a warning naming the fix) but never fatal: an admin upgrading
 * from a one-role set-up must still be able to start the app and then fix the roles. `client` is for tests.
 */
export async function checkDatabaseRole(client?: Parameters<typeof inspectDatabaseRole>[0]) {
  try {
    const report = await inspectDatabaseRole(client);
    const problems = databaseRoleProblems(report);
    if (problems.length === 0) {
      logger.info("database: connected as a least-privilege role", { role: report.role });
      return;
    }
    const fix =
      env().NODE_ENV === "production"
        ? "Connect the app (DATABASE_URL) as a role of its own, with no superuser and owning nothing; run migrations as the " +
          "owner (DATABASE_MIGRATION_URL) with `npm run db:migrate`, which grants the app role exactly what it needs. " +
          "SQL and steps: docs/database-roles.md"
        : "See docs/database-roles.md (unset DATABASE_URL to use the embedded PostgreSQL, which sets both roles up by itself)";
    logger.warn(`SECURITY: the database role "${report.role}" can erase or rewrite the audit log`, { role: report.role, problems, fix });
  } catch (error) {
    logger.warn("database: could not check the privileges of the database role", { error: (error as Error).message });
  }
}

/**
 * Owns SIGTERM/SIGINT (lib/shutdown.mjs) with the configured timings. scripts/server.mjs installs the same handlers
 * first; this covers a process that runs Next without it. Idempotent.
 */
export function installGracefulShutdown() {
  installShutdownHandlers(env().shutdown);
}

const globalForWorker = globalThis as unknown as { atelierWorker?: { stop(): Promise<void> } };

/**
 * Starts the job worker (lib/jobs) in this process, once: a globalThis guard survives dev HMR re-evaluating this
 * module. ATELIER_WORKER=off skips it. On SIGTERM/SIGINT (lib/shutdown.mjs) it stops claiming at once, lets running
 * jobs finish until the plan's `finishBy` and hands the rest back to the queue; the coordinator exits the process
 * once this and the HTTP server have drained.
 */
export function startBackgroundWorker() {
  if (env().ATELIER_WORKER === "off" || globalForWorker.atelierWorker || isShuttingDown()) return;
  globalForWorker.atelierWorker = { stop: async () => undefined };
  void (async () => {
    const [{ startWorker, workerDrain }, { generationQueues }, { batchQueues }, { purgeQueue }, { PURGE_QUEUE }] = await Promise.all([
      import("@/lib/jobs/worker"),
      import("@/lib/generations/worker"),
      import("@/lib/generations/batches/run"),
      import("@/lib/gallery/trash"),
      import("@/lib/data/trash"),
    ]);
    const queues = { ...generationQueues, ...batchQueues, [PURGE_QUEUE]: purgeQueue as QueueDefinition<never> };
    const worker = startWorker({ queues, concurrency: 4 });
    globalForWorker.atelierWorker = worker;
    logger.info("jobs: worker started", { workerId: worker.workerId });
    onShutdown("jobs", workerDrain(worker));
  })().catch((error: unknown) => {
    globalForWorker.atelierWorker = undefined;
    logger.error("jobs: worker failed to start", { error });
  });
}
