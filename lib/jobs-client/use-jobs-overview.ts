"use client";

import { useQuery } from "@tanstack/react-query";
import type { JobsOverviewDTO } from "@/lib/jobs/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";

export const jobsKeys = {
  overview: (slug: string) => ["jobs", slug, "overview"] as const,
};

/** How often Settings → Jobs refreshes itself while it is open (react-query pauses it in a hidden tab). */
export const JOBS_REFRESH_MS = 5_000;

/** The workspace's jobs per queue and its latest dead jobs, seeded by the server's read and refreshed every few seconds. */
export function useJobsOverview(slug: string, initial: JobsOverviewDTO) {
  return useQuery({
    queryKey: jobsKeys.overview(slug),
    queryFn: ({ signal }) => fetchJson<JobsOverviewDTO>(workspaceApi(slug, "jobs"), { signal }),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.readAt),
    staleTime: JOBS_REFRESH_MS,
    refetchInterval: JOBS_REFRESH_MS,
    retry: 1,
  });
}
