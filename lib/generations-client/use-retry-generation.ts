"use client";

import { useCallback, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { retryGenerationAction } from "@/lib/actions/generations";
import type { SubmitResultDTO } from "@/lib/generations/types";
import type { ActionResult } from "@/lib/result";
import { newIdempotencyKey } from "@/lib/generations-client/idempotency-key";
import { generationKeys } from "@/lib/client/query-keys";
import { rememberSubmitted } from "@/lib/generations-client/submitted-runs";
import { OFFLINE_SUBMIT_ERROR } from "@/lib/generations-client/use-submit-generation";

/**
 * Retries a failed run with one key per failed run for the page's life: a double click, a lost response or a second
 * press on the same failed run all make one new run (the server answers `deduplicated`). A retry that fails in turn
 * is a new run with its own Retry.
 */
export function useRetryGeneration(slug: string) {
  const queryClient = useQueryClient();
  const keys = useRef(new Map<string, string>());
  const inFlight = useRef(new Set<string>());
  const [pendingIds, setPendingIds] = useState<ReadonlySet<string>>(new Set());

  const retry = useCallback(
    async (generationId: string): Promise<ActionResult<SubmitResultDTO> | null> => {
      if (inFlight.current.has(generationId)) return null;
      inFlight.current.add(generationId);
      setPendingIds(new Set(inFlight.current));
      try {
        let key = keys.current.get(generationId);
        if (!key) keys.current.set(generationId, (key = newIdempotencyKey()));
        const result = await retryGenerationAction({ workspace: slug, generationId, idempotencyKey: key });
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

  return { retry, isRetrying: (id: string) => pendingIds.has(id) };
}
