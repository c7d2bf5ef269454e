"use client";

import { useCallback } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { cancelGenerationAction } from "@/lib/actions/generations";
import type { CancelResultDTO } from "@/lib/generations/types";
import type { ActionResult } from "@/lib/result";
import { generationKeys } from "@/lib/client/query-keys";
import { useInFlight } from "@/lib/client/use-in-flight";

export const OFFLINE_CANCEL_ERROR = "Couldn't reach Atelier, so the run was not cancelled. Try again.";

/**
 * Cancels a run from the runs panel. A second press while the first is in flight does nothing (and a repeated
 * cancel is a no-op on the server anyway); on success the queue refetches at once, so the card shows "Cancelling"
 * or "Cancelled" without waiting for the next poll.
 */
export function useCancelGeneration(slug: string) {
  const queryClient = useQueryClient();
  const { guard, isPending } = useInFlight();
  const { mutateAsync } = useMutation({
    mutationFn: (generationId: string) => cancelGenerationAction({ workspace: slug, generationId }),
    onSuccess: (result) => {
      if (result?.ok) void queryClient.invalidateQueries({ queryKey: generationKeys.recent(slug) });
    },
  });

  const cancel = useCallback(
    (generationId: string): Promise<ActionResult<CancelResultDTO> | null> =>
      guard(generationId, () => mutateAsync(generationId).catch((): ActionResult<CancelResultDTO> => ({ ok: false, error: OFFLINE_CANCEL_ERROR }))),
    [guard, mutateAsync],
  );

  return { cancel, isCancelling: isPending };
}
