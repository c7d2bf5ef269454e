import "server-only";
import { db } from "@/lib/db";
import { GenerationStatus } from "@/lib/generated/prisma/enums";

/**
 * The figures the metrics endpoint reads from the database at scrape time (lib/monitoring/scrape.ts), for the whole
 * installation, not one workspace. Bounded: one read-only transaction under a 2 s statement timeout, so a scrape can
 * never hold a connection long whatever the tables' sizes; each query groups over a closed set of values.
 * - jobs: the Job table holds work in progress only (finished jobs are deleted), counted per queue and state.
 * - dead jobs: the archive is pruned to 30 days and 10,000 rows.
 * - runs: only runs not finished yet (finished ones only ever grow; their rate is in the provider and job metrics),
 *   counted on a partial index that holds those only (migration 20261203190100_unfinished_runs_index).
 * - bytes: the sizes the database recorded for stored media and assets (no storage listing). Two sums over whole
 *   tables, so the caller asks for them rarely (`bytes: false` skips them).
 */

/** Statuses a run leaves on its own: the live pipeline. */
export const UNFINISHED_RUN_STATES = [
  GenerationStatus.PREPARING,
  GenerationStatus.QUEUED,
  GenerationStatus.SUBMITTING,
  GenerationStatus.RECONCILING,
  GenerationStatus.RUNNING,
  GenerationStatus.CANCELLING,
] as const;

export type OperationalFigures = {
  jobs: { queue: string; due: number; scheduled: number; running: number }[];
  deadJobs: { queue: string; count: number }[];
  runs: { state: string; count: number }[];
  /** null when not asked for. */
  storedBytes: { media: number; assets: number } | null;
};

export const FIGURES_STATEMENT_TIMEOUT_MS = 2000;

/** Unfinished runs by state: the partial index's predicate written out, so the planner can use that index. */
export const UNFINISHED_RUNS_SQL = `SELECT status::text AS state, count(*)::int AS count FROM "Generation"
  WHERE status IN ('PREPARING', 'QUEUED', 'SUBMITTING', 'RECONCILING', 'RUNNING', 'CANCELLING') GROUP BY status`;

export async function readOperationalFigures(options: { bytes: boolean }): Promise<OperationalFigures> {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET TRANSACTION READ ONLY`);
    await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${FIGURES_STATEMENT_TIMEOUT_MS}`);
    const jobs = await tx.$queryRaw<{ queue: string; due: number; scheduled: number; running: number }[]>`
      SELECT queue,
             count(*) FILTER (WHERE "runAt" <= now() AND ("lockedUntil" IS NULL OR "lockedUntil" < now()))::int AS due,
             count(*) FILTER (WHERE "runAt" > now() AND ("lockedUntil" IS NULL OR "lockedUntil" < now()))::int AS scheduled,
             count(*) FILTER (WHERE "lockedUntil" >= now())::int AS running
        FROM "Job" GROUP BY queue`;
    const deadJobs = await tx.$queryRaw<{ queue: string; count: number }[]>`
      SELECT queue, count(*)::int AS count FROM "DeadJob" GROUP BY queue`;
    const runRows = await tx.$queryRawUnsafe<{ state: string; count: number }[]>(UNFINISHED_RUNS_SQL);
    const [bytes] = options.bytes
      ? await tx.$queryRaw<{ media: bigint; assets: bigint }[]>`
          SELECT (SELECT coalesce(sum(bytes), 0) FROM "Media" WHERE "storageKey" IS NOT NULL)::bigint AS media,
                 (SELECT coalesce(sum(bytes), 0) FROM "Asset")::bigint AS assets`
      : [];
    // Every unfinished state is reported, 0 included, so a series does not vanish when its last run moves on.
    const runs = UNFINISHED_RUN_STATES.map((state) => ({ state, count: runRows.find((row) => row.state === state)?.count ?? 0 }));
    const storedBytes = bytes ? { media: Number(bytes.media), assets: Number(bytes.assets) } : null;
    return { jobs, deadJobs, runs, storedBytes };
  });
}
