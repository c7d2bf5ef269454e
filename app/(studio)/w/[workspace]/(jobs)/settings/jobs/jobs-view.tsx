"use client";

import { AlertTriangle, Inbox } from "lucide-react";
import type { DeadJobDTO, JobQueueCountsDTO, JobsOverviewDTO } from "@/lib/jobs/types";
import { DEAD_JOBS_SHOWN } from "@/lib/jobs/types";
import { JOBS_REFRESH_MS, useJobsOverview } from "@/lib/jobs-client/use-jobs-overview";
import { cn } from "@/lib/cn";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { plural } from "@/lib/validation/text";

const COLUMNS = [
  { field: "due", label: "Due", hint: "waiting for a worker" },
  { field: "scheduled", label: "Later", hint: "scheduled for later" },
  { field: "running", label: "Running", hint: "leased by a worker" },
  { field: "retrying", label: "Retrying", hint: "waiting after a failure" },
  { field: "dead", label: "Dead", hint: "given up, last 30 days" },
] as const satisfies readonly { field: Exclude<keyof JobQueueCountsDTO, "queue">; label: string; hint: string }[];

/** A fixed UTC format: the server's first render and the browser's agree whatever their locales. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/**
 * Settings → Jobs in the browser: the workspace's background jobs per queue and its latest dead jobs, refreshed every
 * few seconds. A refresh that fails keeps the last figures on screen, marked as such.
 */
export function JobsView({ slug, initial }: { slug: string; initial: JobsOverviewDTO }) {
  const query = useJobsOverview(slug, initial);
  const data = query.data;
  const empty = data.queues.length === 0 && data.dead.length === 0;

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div className="space-y-1">
        <h2 className="text-base font-semibold">Jobs</h2>
        <p className="text-sm text-muted">
          The background work of this workspace (runs being sent and tracked, results saved, files purged), per queue. It refreshes
          every {JOBS_REFRESH_MS / 1000} seconds; updated <span data-testid="jobs-read-at">{utc(data.readAt)}</span>.
        </p>
      </div>

      {query.isRefetchError ? (
        <p role="status" className="flex items-start gap-2 rounded-xl bg-danger-soft px-3.5 py-2.5 text-[13px] text-danger">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" />
          <span>Couldn&apos;t refresh: {query.error.message} Showing the figures from {utc(data.readAt)}.</span>
        </p>
      ) : null}

      {empty ? (
        <EmptyState icon={Inbox} title="No background jobs">
          Nothing is queued, running or retrying in this workspace, and no job has given up in the last 30 days.
        </EmptyState>
      ) : (
        <>
          <QueueList queues={data.queues} />
          <DeadJobs dead={data.dead} />
        </>
      )}
    </div>
  );
}

function QueueList({ queues }: { queues: JobQueueCountsDTO[] }) {
  return (
    <section aria-labelledby="jobs-queues" className="space-y-2">
      <h3 id="jobs-queues" className="text-sm font-semibold">
        Queues
      </h3>
      <div className="overflow-hidden rounded-2xl border border-line bg-surface shadow-card">
        <div aria-hidden className="hidden grid-cols-[minmax(0,1fr)_repeat(5,5.5rem)] px-4 py-2 text-[12px] font-medium text-muted sm:grid">
          <span>Queue</span>
          {COLUMNS.map((column) => (
            <span key={column.field} className="text-right" title={column.hint}>
              {column.label}
            </span>
          ))}
        </div>
        <ul className="divide-y divide-line/60 sm:border-t sm:border-line/60">
          {queues.map((counts) => (
            <li
              key={counts.queue}
              data-queue={counts.queue}
              className="grid gap-2 px-4 py-3 sm:grid-cols-[minmax(0,1fr)_repeat(5,5.5rem)] sm:items-center sm:gap-0 sm:py-2.5"
            >
              <span className="truncate font-mono text-[13px]">{counts.queue}</span>
              <dl className="grid grid-cols-5 gap-1 sm:contents">
                {COLUMNS.map((column) => (
                  <div key={column.field} className="flex flex-col items-start sm:items-end" data-count={column.field}>
                    <dt className="text-[11px] text-muted sm:sr-only">{column.label}</dt>
                    <dd
                      className={cn(
                        "text-[13px] tabular-nums",
                        counts[column.field] === 0 && "text-muted",
                        column.field === "dead" && counts.dead > 0 && "font-medium text-danger",
                      )}
                    >
                      {counts[column.field]}
                    </dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ul>
      </div>
      <p className="text-[12px] text-muted">
        Due: waiting for a free worker. Later: scheduled (a status poll, a retry after a failure). Running: held by a worker now. Retrying:
        waiting jobs that failed before. Dead: given up after their last attempt, kept 30 days.
      </p>
    </section>
  );
}

function DeadJobs({ dead }: { dead: DeadJobDTO[] }) {
  return (
    <section aria-labelledby="jobs-dead" className="space-y-2">
      <h3 id="jobs-dead" className="text-sm font-semibold">
        Latest dead jobs
      </h3>
      {dead.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-line px-4 py-6 text-center text-[13px] text-muted">
          No job has given up in the last 30 days.
        </p>
      ) : (
        <ul className="divide-y divide-line/60 overflow-hidden rounded-2xl border border-line bg-surface shadow-card" data-testid="dead-jobs">
          {dead.map((job) => (
            <li key={job.id} className="space-y-1 px-4 py-3" data-dead-job={job.id}>
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <Badge tone="danger">dead</Badge>
                <span className="font-mono text-[13px]">{job.queue}</span>
                {job.key ? <span className="min-w-0 truncate font-mono text-[12px] text-muted">{job.key}</span> : null}
              </div>
              <p className="text-[13px] break-words">{job.error ?? "No error was recorded."}</p>
              <p className="text-[12px] text-muted">
                Gave up {utc(job.diedAt)} after {plural(job.attempts, "attempt")}; queued {utc(job.createdAt)}.
              </p>
            </li>
          ))}
        </ul>
      )}
      {dead.length >= DEAD_JOBS_SHOWN ? <p className="text-[12px] text-muted">The {DEAD_JOBS_SHOWN} most recent are shown.</p> : null}
    </section>
  );
}
