import "server-only";
import { db } from "@/lib/db";
import { requirePermission, type Viewer } from "@/lib/authz";
import { DEAD_JOBS_SHOWN, type JobQueueCountsDTO, type JobsOverviewDTO } from "@/lib/jobs/types";

/**
 * Settings → Jobs (admins and owners): the workspace's background jobs per queue, and its latest dead jobs. Scoped in
 * every query by `groupKey` = the viewer's workspace id (jobs carry their workspace there for the fair claim): another
 * workspace's jobs, and the jobs of nobody in particular (no group), never appear. Counts are read with the server's
 * clock, one grouped query per state over the workspace's rows (index (groupKey, runAt)); the dead list is bounded.
 * The payload is never read: it is the queue's business, and may name things an admin of the view needn't see.
 */
export async function getJobsOverview(viewer: Viewer): Promise<JobsOverviewDTO> {
  requirePermission(viewer, "jobs:read");
  const groupKey = viewer.workspaceId;
  const now = new Date();
  const free = { OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] };
  const [due, scheduled, running, retrying, dead, latest] = await Promise.all([
    db.job.groupBy({ by: ["queue"], where: { groupKey, runAt: { lte: now }, ...free }, _count: { _all: true } }),
    db.job.groupBy({ by: ["queue"], where: { groupKey, runAt: { gt: now }, ...free }, _count: { _all: true } }),
    db.job.groupBy({ by: ["queue"], where: { groupKey, lockedUntil: { gte: now } }, _count: { _all: true } }),
    db.job.groupBy({ by: ["queue"], where: { groupKey, attempts: { gt: 0 }, ...free }, _count: { _all: true } }),
    db.deadJob.groupBy({ by: ["queue"], where: { groupKey }, _count: { _all: true } }),
    db.deadJob.findMany({
      where: { groupKey },
      orderBy: [{ diedAt: "desc" }, { id: "desc" }],
      take: DEAD_JOBS_SHOWN,
      select: { id: true, queue: true, key: true, attempts: true, lastError: true, createdAt: true, diedAt: true },
    }),
  ]);

  const queues = new Map<string, JobQueueCountsDTO>();
  const add = (rows: { queue: string; _count: { _all: number } }[], field: Exclude<keyof JobQueueCountsDTO, "queue">) => {
    for (const row of rows) {
      const counts = queues.get(row.queue) ?? { queue: row.queue, due: 0, scheduled: 0, running: 0, retrying: 0, dead: 0 };
      counts[field] = row._count._all;
      queues.set(row.queue, counts);
    }
  };
  add(due, "due");
  add(scheduled, "scheduled");
  add(running, "running");
  add(retrying, "retrying");
  add(dead, "dead");

  return {
    queues: [...queues.values()].sort((a, b) => a.queue.localeCompare(b.queue)),
    dead: latest.map((row) => ({
      id: String(row.id),
      queue: row.queue,
      key: row.key,
      attempts: row.attempts,
      error: row.lastError,
      createdAt: row.createdAt.toISOString(),
      diedAt: row.diedAt.toISOString(),
    })),
    readAt: now.toISOString(),
  };
}
