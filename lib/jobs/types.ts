/** What Settings → Jobs shows (lib/data/jobs-admin.ts builds it; the browser reads it from /api/w/<slug>/jobs). */

/** One queue's jobs of the workspace right now. `retrying` counts the waiting jobs (due or scheduled) that failed before. */
export type JobQueueCountsDTO = {
  queue: string;
  due: number;
  scheduled: number;
  running: number;
  retrying: number;
  /** In the dead-job archive (kept 30 days). */
  dead: number;
};

export type DeadJobDTO = {
  id: string;
  queue: string;
  key: string | null;
  attempts: number;
  /** Atelier's own sanitized line (lib/jobs/dead-jobs.ts). */
  error: string | null;
  createdAt: string;
  diedAt: string;
};

export type JobsOverviewDTO = {
  queues: JobQueueCountsDTO[];
  /** The newest dead jobs, newest first, at most DEAD_JOBS_SHOWN. */
  dead: DeadJobDTO[];
  /** When it was read (ISO), for "updated …". */
  readAt: string;
};

export const DEAD_JOBS_SHOWN = 20;
