"use client";

import { useQuery } from "@tanstack/react-query";
import type { CatalogDTO } from "@/lib/generations/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { catalogKeys } from "@/lib/client/query-keys";

/** Models, styles, LoRAs, ControlNets, voices and characters of the workspace's provider account. */
export function useCatalog(slug: string) {
  return useQuery({
    queryKey: catalogKeys.catalog(slug),
    queryFn: ({ signal }) => fetchJson<CatalogDTO>(workspaceApi(slug, "catalog"), { signal }),
    staleTime: 5 * 60_000,
  });
}
