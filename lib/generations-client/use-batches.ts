"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { BatchDTO } from "@/lib/data/batches";
import type { BatchPlanDTO } from "@/lib/generations/batches/types";
import { cancelBatchAction, pauseBatchAction, resumeBatchAction } from "@/lib/actions/batches";
import { unwrapAction } from "@/lib/client/action-mutation";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { batchKeys } from "@/lib/client/query-keys";
import type { BatchPlan } from "@/lib/validation/batches";

/**
 * The batch panel's totals (POST /api/w/<slug>/batches/plan) for a plan the shared schema accepted, or nothing while
 * it does not. The same plan is priced once (the key is its JSON); while a changed plan is priced, the last totals stay.
 */
export function useBatchPlan(slug: string, plan: BatchPlan | null) {
  const json = plan ? JSON.stringify(plan) : "";
  return useQuery({
    queryKey: batchKeys.plan(slug, json),
    queryFn: ({ signal }) =>
      fetchJson<BatchPlanDTO>(workspaceApi(slug, "batches/plan"), { method: "POST", body: JSON.stringify({ plan }), headers: { "content-type": "application/json" }, signal }),
    enabled: plan !== null,
    staleTime: 20_000,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

const LIVE = new Set(["RUNNING"]);

/** A batch, re-read every 2 s while it runs or has runs in flight, then left alone. */
export function useBatch(slug: string, batchId: string, initial: BatchDTO) {
  return useQuery({
    queryKey: batchKeys.batch(slug, batchId),
    queryFn: ({ signal }) => fetchJson<BatchDTO>(workspaceApi(slug, `batches/${encodeURIComponent(batchId)}`), { signal }),
    initialData: initial,
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && (LIVE.has(data.state) || data.tally.inFlight > 0) ? 2000 : false;
    },
  });
}

export type BatchControl = "pause" | "resume" | "cancel";

/** Pause, resume (optionally with a higher cap) or cancel; the batch is read again whichever way it went. */
export function useBatchControl(slug: string, batchId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ control, capCredits }: { control: BatchControl; capCredits?: number }) => {
      const input = { workspace: slug, batchId };
      if (control === "pause") return unwrapAction(pauseBatchAction(input));
      if (control === "cancel") return unwrapAction(cancelBatchAction(input));
      return unwrapAction(resumeBatchAction({ ...input, ...(capCredits === undefined ? {} : { capCredits }) }));
    },
    onSettled: () => client.invalidateQueries({ queryKey: batchKeys.batch(slug, batchId) }),
  });
}
