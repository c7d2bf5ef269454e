"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { EstimateDTO } from "@/lib/generations/types";
import type { GenerationRequest } from "@/lib/validation/generations";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { generationKeys } from "@/lib/client/query-keys";

export const ESTIMATE_DEBOUNCE_MS = 400;

export class EstimateError extends Error {
  name = "EstimateError";
}

/**
 * Prices the run the form currently describes: `run` is null while the form is invalid. The payload settles for
 * ~400 ms before it is sent and each distinct payload is priced once (the key is the run's JSON), so typing doesn't
 * flood the provider and going back to an earlier setting answers from the cache.
 */
export function useEstimate(slug: string, run: GenerationRequest | null, { enabled = true }: { enabled?: boolean } = {}) {
  const payload = run ? JSON.stringify(run) : null;
  const settled = useDebouncedValue(payload, ESTIMATE_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: generationKeys.estimate(slug, settled ?? ""),
    // A route, not a server action: Next runs a page's actions one at a time, and an estimate that waits for the
    // provider (it uploads the run's inputs) must not hold up the Generate click behind it.
    queryFn: ({ signal }): Promise<EstimateDTO> =>
      fetchJson<EstimateDTO>(workspaceApi(slug, "generations/estimate"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ run: JSON.parse(settled!) as GenerationRequest }),
        signal,
      }).catch((error: unknown) => {
        throw new EstimateError((error as Error).message);
      }),
    enabled: enabled && settled !== null,
    staleTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
  return {
    /** The price of the current payload, or of the previous one while the new one settles (see `stale`). */
    estimate: payload === null ? undefined : query.data,
    /** True while what is shown belongs to an earlier version of the form. */
    stale: payload !== settled || query.isPlaceholderData,
    loading: payload !== null && (payload !== settled || query.isFetching),
    error: payload !== null && payload === settled && query.isError ? query.error.message : null,
    incomplete: payload === null,
  };
}
