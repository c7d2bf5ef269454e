"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { AuditPageDTO } from "@/lib/audit/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { auditKeys } from "@/lib/client/query-keys";

/**
 * The audit log's pages in the browser (newest first, keyset cursor). The server's first page seeds the view the
 * page was opened with; while another view loads, the previous one stays on screen (dimmed by the caller).
 */
export function useAuditEvents(slug: string, view: string, initial: { view: string; page: AuditPageDTO }) {
  return useInfiniteQuery({
    queryKey: auditKeys.pages(slug, view),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams(view);
      if (pageParam) params.set("cursor", pageParam);
      return fetchJson<AuditPageDTO>(workspaceApi(slug, `audit?${params}`), { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: initial.view === view ? { pages: [initial.page], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}
