"use client";

import { useCallback, useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { estimateVariationAction, varyGenerationAction } from "@/lib/actions/generations";
import type { EstimateDTO, SubmitResultDTO } from "@/lib/generations/types";
import type { ActionResult } from "@/lib/result";
import { newIdempotencyKey } from "@/lib/generations-client/idempotency-key";
import { generationKeys } from "@/lib/client/query-keys";
import { useInFlight } from "@/lib/client/use-in-flight";
import { EstimateError } from "@/lib/generations-client/use-estimate";
import { UNANSWERED, useStartRun } from "@/lib/generations-client/use-start-run";

/**
 * Vary: each click is a new run with a new seed, so each click gets a new idempotency key, except after a request
 * whose answer never came (offline, lost): the next click on that run sends the same key again, so it can't start a
 * second run behind the user's back. A click while one is in flight for that run does nothing.
 */
export function useVaryGeneration(slug: string) {
  const unanswered = useRef(new Map<string, string>());
  const { guard, isPending } = useInFlight();
  const start = useStartRun(slug, varyGenerationAction);

  const vary = useCallback(
    (generationId: string): Promise<ActionResult<SubmitResultDTO> | null> =>
      guard(generationId, async () => {
        const key = unanswered.current.get(generationId) ?? newIdempotencyKey();
        unanswered.current.set(generationId, key);
        const result = await start({ workspace: slug, generationId, idempotencyKey: key });
        // Only an answer frees the key; a request that never got one sends the same key next time.
        if (result !== UNANSWERED) unanswered.current.delete(generationId);
        return result;
      }),
    [guard, start, slug],
  );

  return { vary, isVarying: isPending };
}

/**
 * What Vary on a run would cost, priced by the server through the form's estimate path (its cache and its per-member
 * limit). `enabled` is for buttons on screen that have settled, so scrolling or browsing doesn't price every run.
 */
export function useVaryEstimate(slug: string, generationId: string, enabled: boolean) {
  return useQuery({
    queryKey: generationKeys.varyEstimate(slug, generationId),
    queryFn: async (): Promise<EstimateDTO> => {
      const result = await estimateVariationAction({ workspace: slug, generationId });
      if (!result.ok) throw new EstimateError(result.error);
      return result.data;
    },
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}
