"use client";

import { useCallback, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { estimateVariationAction, varyGenerationAction } from "@/lib/actions/generations";
import type { EstimateDTO, SubmitResultDTO } from "@/lib/generations/types";
import type { ActionResult } from "@/lib/result";
import { newIdempotencyKey } from "@/lib/generations-client/idempotency-key";
import { generationKeys } from "@/lib/client/query-keys";
import { rememberSubmitted } from "@/lib/generations-client/submitted-runs";
import { EstimateError } from "@/lib/generations-client/use-estimate";
import { OFFLINE_SUBMIT_ERROR } from "@/lib/generations-client/use-submit-generation";

/**
 * Vary: each click is a new run with a new seed, so each click gets a new idempotency key, except after a request
 * whose answer never came (offline, lost): the next click on that run sends the same key again, so it can't start a
 * second run behind the user's back. A click while one is in flight for that run does nothing.
 */
export function useVaryGeneration(slug: string) {
  const queryClient = useQueryClient();
  const unanswered = useRef(new Map<string, string>());
  const inFlight = useRef(new Set<string>());
  const [pendingIds, setPendingIds] = useState<ReadonlySet<string>>(new Set());

  const vary = useCallback(
    async (generationId: string): Promise<ActionResult<SubmitResultDTO> | null> => {
      if (inFlight.current.has(generationId)) return null;
      inFlight.current.add(generationId);
      setPendingIds(new Set(inFlight.current));
      const key = unanswered.current.get(generationId) ?? newIdempotencyKey();
      unanswered.current.set(generationId, key);
      try {
        const result = await varyGenerationAction({ workspace: slug, generationId, idempotencyKey: key });
        unanswered.current.delete(generationId);
        if (result?.ok) {
          rememberSubmitted(result.data.generationId);
          void queryClient.invalidateQueries({ queryKey: generationKeys.recent(slug) });
          void queryClient.invalidateQueries({ queryKey: generationKeys.estimates(slug) });
        }
        return result;
      } catch {
        return { ok: false, error: OFFLINE_SUBMIT_ERROR };
      } finally {
        inFlight.current.delete(generationId);
        setPendingIds(new Set(inFlight.current));
      }
    },
    [queryClient, slug],
  );

  return { vary, isVarying: (id: string) => pendingIds.has(id) };
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
