"use client";

import { useQuery } from "@tanstack/react-query";
import type { AssetDTO } from "@/lib/generations/types";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { assetKeys, type AssetKind } from "@/lib/client/query-keys";

/** The workspace's uploaded inputs of one kind, newest first. */
export function useAssets(slug: string, kind: AssetKind, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: assetKeys.list(slug, kind),
    queryFn: ({ signal }) => fetchJson<AssetDTO[]>(workspaceApi(slug, `assets?kind=${kind.toLowerCase()}`), { signal }),
    staleTime: 60_000,
    enabled,
  });
}
