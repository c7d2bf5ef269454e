"use client";

import { useCallback, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { submitGenerationAction } from "@/lib/actions/generations";
import type { SubmitResultDTO } from "@/lib/generations/types";
import type { GenerationRequest } from "@/lib/validation/generations";
import type { ActionResult } from "@/lib/result";
import { SubmissionKeys } from "@/lib/generations-client/idempotency-key";
import { generationKeys } from "@/lib/client/query-keys";
import { rememberSubmitted } from "@/lib/generations-client/submitted-runs";

export const OFFLINE_SUBMIT_ERROR =
  "Couldn't reach Atelier, so we can't tell whether the run started. Try again: it won't start a second run.";

/**
 * Submits a run with an idempotency key kept for that exact payload until it is accepted (see SubmissionKeys), and a
 * synchronous in-flight guard so a double click sends one request. On success the queue refetches at once and the
 * cached estimates are dropped (the balance changed).
 */
export function useSubmitGeneration(slug: string) {
  const queryClient = useQueryClient();
  const keys = useRef(new SubmissionKeys());
  const inFlight = useRef(false);
  const [pending, setPending] = useState(false);

  const submit = useCallback(
    async (run: GenerationRequest, boardId: string | null = null): Promise<ActionResult<SubmitResultDTO> | null> => {
      if (inFlight.current) return null;
      inFlight.current = true;
      setPending(true);
      const payload = JSON.stringify({ run, boardId });
      try {
        const result = await submitGenerationAction({ workspace: slug, idempotencyKey: keys.current.keyFor(payload), boardId, run });
        if (result?.ok) {
          keys.current.succeeded(payload);
          rememberSubmitted(result.data.generationId);
          void queryClient.invalidateQueries({ queryKey: generationKeys.recent(slug) });
          void queryClient.invalidateQueries({ queryKey: generationKeys.estimates(slug) });
        }
        return result;
      } catch {
        return { ok: false, error: OFFLINE_SUBMIT_ERROR };
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [queryClient, slug],
  );

  return { submit, pending };
}
