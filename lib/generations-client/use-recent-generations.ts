"use client";

import { useQuery } from "@tanstack/react-query";
import type { GenerationSummary } from "@/lib/generations/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { pollInterval } from "@/lib/generations-client/generation-status";
import { generationKeys, RECENT_GENERATIONS_LIMIT } from "@/lib/client/query-keys";

/**
 * The workspace's latest runs. Exactly one observer polls (`poll: true`): the studio's activity notifier, mounted
 * once by the studio layout; every other reader (the queue panel) shares its cache without a timer of its own, so
 * the page makes one request per tick however many panels show the queue.
 */
export function useRecentGenerations(slug: string, { poll = false }: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: generationKeys.recent(slug),
    queryFn: ({ signal }) =>
      fetchJson<GenerationSummary[]>(workspaceApi(slug, `generations?limit=${RECENT_GENERATIONS_LIMIT}`), { signal }),
    staleTime: 1_000,
    retry: 2,
    refetchInterval: poll ? (query) => pollInterval(query.state.data) : false,
  });
}
