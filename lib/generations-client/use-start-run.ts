"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { SubmitResultDTO } from "@/lib/generations/types";
import type { ActionResult } from "@/lib/result";
import { generationKeys, promptHistoryKeys } from "@/lib/client/query-keys";
import { rememberSubmitted } from "@/lib/generations-client/submitted-runs";

export const OFFLINE_SUBMIT_ERROR =
  "Couldn't reach Atelier, so we can't tell whether the run started. Try again: it won't start a second run.";

/** The answer to a request that never got one (compared by identity: the caller keeps its key for the next try). */
export const UNANSWERED: ActionResult<never> = Object.freeze({ ok: false, error: OFFLINE_SUBMIT_ERROR });

/**
 * What Generate, Retry and Vary share: the action as a react-query mutation whose success refetches the queue at
 * once and drops the cached estimates (the balance changed) and prompt history. The answer comes back as the action's result (the
 * callers word their own toasts); a request that never got an answer is UNANSWERED, and its key is the caller's
 * to keep.
 */
export function useStartRun<V>(slug: string, start: (vars: V) => Promise<ActionResult<SubmitResultDTO>>) {
  const queryClient = useQueryClient();
  const { mutateAsync } = useMutation({
    mutationFn: start,
    onSuccess: (result) => {
      if (!result?.ok) return;
      rememberSubmitted(result.data.generationId);
      void queryClient.invalidateQueries({ queryKey: generationKeys.recent(slug) });
      void queryClient.invalidateQueries({ queryKey: generationKeys.estimates(slug) });
      void queryClient.invalidateQueries({ queryKey: promptHistoryKeys.all(slug) }); // the run's prompt is now history
    },
  });
  return useCallback(
    (vars: V): Promise<ActionResult<SubmitResultDTO>> => mutateAsync(vars).catch(() => UNANSWERED),
    [mutateAsync],
  );
}
