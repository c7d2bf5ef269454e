"use client";

import { useCallback, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { cancelGenerationAction } from "@/lib/actions/generations";
import type { CancelResultDTO } from "@/lib/generations/types";
import type { ActionResult } from "@/lib/result";
import { generationKeys } from "@/lib/client/query-keys";

export const OFFLINE_CANCEL_ERROR = "Couldn't reach Atelier, so the run was not cancelled. Try again.";

/**
 * Cancels a run from the runs panel. A second press while the first is in flight does nothing (and a repeated
 * cancel is a no-op on the server anyway); on success the queue refetches at once, so the card shows "Cancelling"
 * or "Cancelled" without waiting for the next poll.
 */
export function useCancelGeneration(slug: string) {
  const queryClient = useQueryClient();
  const inFlight = useRef(new Set<string>());
  const [pendingIds, setPendingIds] = useState<ReadonlySet<string>>(new Set());

  const cancel = useCallback(
    async (generationId: string): Promise<ActionResult<CancelResultDTO> | null> => {
      if (inFlight.current.has(generationId)) return null;
      inFlight.current.add(generationId);
      setPendingIds(new Set(inFlight.current));
      try {
        const result = await cancelGenerationAction({ workspace: slug, generationId });
        if (result?.ok) void queryClient.invalidateQueries({ queryKey: generationKeys.recent(slug) });
        return result;
      } catch {
        return { ok: false, error: OFFLINE_CANCEL_ERROR };
      } finally {
        inFlight.current.delete(generationId);
        setPendingIds(new Set(inFlight.current));
      }
    },
    [queryClient, slug],
  );

  return { cancel, isCancelling: (id: string) => pendingIds.has(id) };
}
