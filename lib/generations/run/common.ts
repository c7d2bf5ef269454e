import "server-only";
import { failRun } from "@/lib/data/generation-runs";
import type { Generation } from "@/lib/generated/prisma/client";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { VIDEO_TOOLS } from "@/lib/generations/build-request";

/**
 * What the steps of a run's job share (the state machine: lib/generations/worker.ts): its payload, its schedule,
 * how an aborted step stops, and how a run fails. The steps import this, never worker.ts, which imports them.
 */

export interface GenerationJobPayload {
  generationId: string;
  polls?: number;
  reconcileSince?: number;
  /** Creates refused with 429 / outage so far. */
  submitTries?: number;
}

/** Tunables (tests shorten them). */
export const generationTimings = {
  /**
   * Polling delay after n polls: every 0.5 s for the first 3 s (most images finish early, and a result should appear
   * soon after the provider has it), then 1 s, 2 s ... up to 10 s for long videos.
   */
  pollDelayMs: (polls: number) => (polls <= 6 ? 500 : Math.min(10, polls - 6) * 1000),
  reconcileWindowMs: 120_000,
  reconcileEveryMs: 10_000,
  maxSubmitTries: 6,
  submitRetryMs: (tries: number) => Math.min(60_000, 2000 * 2 ** (tries - 1)),
  /** A create refused with a longer Retry-After ends the run ("try again later") rather than waiting that long. */
  maxCreateRetryAfterMs: 10 * 60_000,
};

export const soon = (ms: number) => new Date(Date.now() + ms);

/** Qolaba has no feed to look a lost create up in: say what may have happened, and what to do. */
export const QOLABA_UNKNOWN_OUTCOME =
  "Qolaba's answer was lost, so we can't tell whether it ran; it may have charged for it. Check your Qolaba account before retrying.";

/** A step whose job was aborted (lease lost, worker stopping) records nothing: the next owner resumes. */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("the job was aborted");
}

/** The promise, or the signal's reason as soon as it aborts (for shared work the job only waits for). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    }),
  ]);
}

/** Ends a run still in one of `from` (CANCELLED instead when a cancel was asked for meanwhile), its charge settled. */
export async function fail(generationId: string, from: Generation["status"][], cause: string, message: string): Promise<void> {
  // Content refused by the provider is a refusal, as when every result is refused, not a failure.
  const status = cause === "content_refused" ? "REFUSED" : "FAILED";
  await failRun(generationId, from, { status, cause, message });
}

export const mediaKindOf = (generation: Generation): MediaKind => (VIDEO_TOOLS.has(generation.tool) ? "VIDEO" : "IMAGE");
