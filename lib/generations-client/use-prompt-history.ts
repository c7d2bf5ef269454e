"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PromptHistoryEntry } from "@/lib/generations/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { promptHistoryKeys } from "@/lib/client/query-keys";
import type { PromptTool } from "@/lib/validation/prompt-history";

/**
 * The member's recent prompts for a tool (GET /api/w/<slug>/prompts), fetched only while the history is open. While a
 * new search loads, the previous list stays on screen; a submitted run drops the cached lists (useStartRun).
 */
export function usePromptHistory(slug: string, tool: PromptTool, search: string, enabled: boolean) {
  return useQuery({
    queryKey: promptHistoryKeys.list(slug, tool, search),
    queryFn: ({ signal }) =>
      fetchJson<PromptHistoryEntry[]>(workspaceApi(slug, `prompts?${new URLSearchParams({ tool, ...(search ? { q: search } : {}), limit: "30" })}`), { signal }),
    enabled,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}
