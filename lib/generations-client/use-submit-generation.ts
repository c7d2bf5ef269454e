"use client";

import { useCallback, useRef } from "react";
import { submitGenerationAction } from "@/lib/actions/generations";
import type { SubmitResultDTO } from "@/lib/generations/types";
import type { GenerationRequest } from "@/lib/validation/generations";
import type { ActionResult } from "@/lib/result";
import { useInFlight } from "@/lib/client/use-in-flight";
import { SubmissionKeys } from "@/lib/generations-client/idempotency-key";
import { useStartRun } from "@/lib/generations-client/use-start-run";

/**
 * Submits a run with an idempotency key kept for that exact payload until it is accepted (see SubmissionKeys), and a
 * synchronous in-flight guard so a double click sends one request. On success the queue refetches at once and the
 * cached estimates are dropped (useStartRun).
 */
export function useSubmitGeneration(slug: string) {
  const keys = useRef(new SubmissionKeys());
  const { guard, isPending } = useInFlight();
  const start = useStartRun(slug, submitGenerationAction);

  const submit = useCallback(
    (run: GenerationRequest, boardId: string | null = null): Promise<ActionResult<SubmitResultDTO> | null> =>
      guard("submit", async () => {
        const payload = JSON.stringify({ run, boardId });
        const result = await start({ workspace: slug, idempotencyKey: keys.current.keyFor(payload), boardId, run });
        if (result.ok) keys.current.succeeded(payload);
        return result;
      }),
    [guard, start, slug],
  );

  return { submit, pending: isPending("submit") };
}
