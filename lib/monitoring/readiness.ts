import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { appliedMigrationNames, pingDatabase } from "@/lib/data/health";
import { logger } from "@/lib/logger";
import { isShuttingDown } from "@/lib/shutdown.mjs";
import { storage } from "@/lib/storage/storage";

/**
 * Readiness (GET /api/health/ready): may this instance be sent traffic now? What it promises:
 * - Ready only when the database answers, every migration in prisma/migrations is applied (the database may have
 *   more: a newer release's, during a rolling upgrade), the storage's `check()` passes, and the instance is not
 *   shutting down (lib/shutdown.mjs).
 * - Bounded: each check gets `timeoutMs` (2 s); one that has not answered by then fails as "did not answer", so a hung
 *   database gives a 503 within about 2 s, never a hung probe.
 * - Not an amplifier: nothing is written; probes arriving together share one run of each check (a check still
 *   pending from an earlier probe is joined, never started again, so a hung database sees at most one probe query
 *   per check at a time); a green answer is reused for `cacheMs` (1 s); the migrations check, once green, stays green
 *   for the process's life (migrations are not un-applied).
 * - The answer names each failing check in Atelier's own short sentence: never an error's text, a path, a host or a
 *   stack (the route is unauthenticated). The cause goes to the log, once per change, not once per probe.
 */

export type CheckName = "database" | "migrations" | "storage" | "shutdown";

/** Each check's "ok", or the sentence saying what is wrong. */
export type ReadinessReport = { ready: boolean; checks: Record<CheckName, string> };

export interface ReadinessDeps {
  pingDatabase(): Promise<void>;
  /** Applied migration names, or null when the database cannot tell (the function that lists them is missing). */
  appliedMigrations(): Promise<string[] | null>;
  /** The migrations this release ships. */
  expectedMigrations(): Promise<string[]>;
  checkStorage(): Promise<void>;
  shuttingDown(): boolean;
  timeoutMs: number;
  cacheMs: number;
  now(): number;
}

export const READINESS_TIMEOUT_MS = 2000;

class CheckFailed extends Error {}

const sentences = {
  databaseTimeout: (ms: number) => `The database did not answer within ${ms / 1000} s.`,
  database: "The database cannot be reached.",
  migrationsTimeout: (ms: number) => `The database did not list its migrations within ${ms / 1000} s.`,
  migrations: "The applied migrations could not be read.",
  missing: (n: number) => `${n} migration${n === 1 ? " is" : "s are"} not applied to the database yet: run npm run db:migrate.`,
  noMigrationsFolder: "The release's migrations folder (prisma/migrations) cannot be read.",
  storageTimeout: (ms: number) => `The media storage did not answer within ${ms / 1000} s.`,
  storage: "The media storage cannot be written or read right now.",
  shutdown: "This instance is shutting down.",
};

export function createReadiness(deps: ReadinessDeps) {
  const pending = new Map<CheckName, Promise<string | null>>();
  let migrationsOk = false;
  let green: { at: number; report: ReadinessReport } | null = null;
  const lastProblem = new Map<CheckName, string | null>();

  /** Runs `fn` at most once at a time; every caller waits at most timeoutMs for it. null = ok, else the sentence. */
  function bounded(name: CheckName, fn: () => Promise<void>, timeoutSentence: string, failSentence: string): Promise<string | null> {
    let run = pending.get(name);
    if (!run) {
      run = fn().then(
        () => null,
        (error: unknown) => {
          const sentence = error instanceof CheckFailed ? error.message : failSentence;
          note(name, sentence, error);
          return sentence;
        },
      );
      pending.set(name, run);
      void run.finally(() => pending.delete(name));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        note(name, timeoutSentence, new Error("timed out"));
        resolve(timeoutSentence);
      }, deps.timeoutMs);
    });
    return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
  }

  /** Logs a check's problem when it changes (and its recovery), not on every probe. */
  function note(name: CheckName, sentence: string | null, error?: unknown) {
    if (lastProblem.get(name) === sentence) return;
    lastProblem.set(name, sentence);
    if (sentence === null) logger.info("readiness: check passes again", { check: name });
    else {
      const detail = error instanceof CheckFailed && error.cause instanceof Error ? error.cause : error;
      logger.warn("readiness: check failing", { check: name, problem: sentence, error: detail instanceof Error ? detail.message : String(detail) });
    }
  }

  async function checkMigrations(): Promise<void> {
    let expected: string[];
    try {
      expected = await deps.expectedMigrations();
    } catch (error) {
      throw Object.assign(new CheckFailed(sentences.noMigrationsFolder), { cause: error });
    }
    const applied = await deps.appliedMigrations();
    const done = new Set(applied ?? []);
    const missing = expected.filter((name) => !done.has(name));
    if (missing.length > 0) throw new CheckFailed(sentences.missing(missing.length));
    migrationsOk = true;
  }

  return {
    async check(): Promise<ReadinessReport> {
      const shuttingDown = deps.shuttingDown();
      if (!shuttingDown && green && deps.now() - green.at < deps.cacheMs) return green.report;
      const t = deps.timeoutMs;
      const [database, migrations, storageProblem] = await Promise.all([
        bounded("database", deps.pingDatabase, sentences.databaseTimeout(t), sentences.database),
        migrationsOk ? Promise.resolve(null) : bounded("migrations", checkMigrations, sentences.migrationsTimeout(t), sentences.migrations),
        bounded("storage", deps.checkStorage, sentences.storageTimeout(t), sentences.storage),
      ]);
      for (const [name, problem] of [["database", database], ["migrations", migrations], ["storage", storageProblem]] as const) {
        if (problem === null && lastProblem.get(name)) note(name, null);
      }
      const checks: Record<CheckName, string> = {
        database: database ?? "ok",
        migrations: migrations ?? "ok",
        storage: storageProblem ?? "ok",
        shutdown: shuttingDown ? sentences.shutdown : "ok",
      };
      const ready = Object.values(checks).every((value) => value === "ok");
      if (!ready) return { ready: false, checks };
      const report: ReadinessReport = { ready: true, checks };
      green = { at: deps.now(), report };
      return report;
    },
  };
}

/** The migration folders this release ships (prisma/migrations/<name>/migration.sql), read once. */
let shipped: Promise<string[]> | null = null;
export function shippedMigrations(): Promise<string[]> {
  // A literal path under the app's folder: the build traces prisma/migrations only, not the whole project.
  shipped ??= readdir(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .then((entries) => entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort())
    .catch((error: unknown) => {
      shipped = null; // a later probe may find it (a volume mounted late)
      throw error;
    });
  return shipped;
}

const globalForReadiness = globalThis as unknown as { atelierReadiness?: ReturnType<typeof createReadiness> };

/** This process's readiness, wired to the real database, storage and shutdown state. */
export function readiness() {
  globalForReadiness.atelierReadiness ??= createReadiness({
    pingDatabase,
    appliedMigrations: appliedMigrationNames,
    expectedMigrations: () => shippedMigrations(),
    checkStorage: () => storage().check(),
    shuttingDown: isShuttingDown,
    timeoutMs: READINESS_TIMEOUT_MS,
    cacheMs: 1000,
    now: Date.now,
  });
  return globalForReadiness.atelierReadiness;
}
