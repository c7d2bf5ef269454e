"use client";

import { useCallback, useRef } from "react";
import { retryGenerationAction } from "@/lib/actions/generations";
import type { SubmitResultDTO } from "@/lib/generations/types";
import type { ActionResult } from "@/lib/result";
import { useInFlight } from "@/lib/client/use-in-flight";
import { newIdempotencyKey } from "@/lib/generations-client/idempotency-key";
import { useStartRun } from "@/lib/generations-client/use-start-run";

/**
 * Retries a failed run with one key per failed run for the page's life: a double click, a lost response or a second
 * press on the same failed run all make one new run (the server answers `deduplicated`). A retry that fails in turn
 * is a new run with its own Retry.
 */
export function useRetryGeneration(slug: string) {
  const keys = useRef(new Map<string, string>());
  const { guard, isPending } = useInFlight();
  const start = useStartRun(slug, retryGenerationAction);

  const retry = useCallback(
    (generationId: string): Promise<ActionResult<SubmitResultDTO> | null> =>
      guard(generationId, () => {
        let key = keys.current.get(generationId);
        if (!key) keys.current.set(generationId, (key = newIdempotencyKey()));
        return start({ workspace: slug, generationId, idempotencyKey: key });
      }),
    [guard, start, slug],
  );

  return { retry, isRetrying: isPending };
}
