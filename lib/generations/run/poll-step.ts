import "server-only";
import { finishRunningRun, listOutputStatuses, listPendingOutputs, settleOutput, settlePendingOutputs } from "@/lib/data/generation-runs";
import type { Generation } from "@/lib/generated/prisma/client";
import type { WorkspaceConnection } from "@/lib/connections/workspace";
import { VIDEO_TOOLS } from "@/lib/generations/build-request";
import { IngestRejected, ingestMedia } from "@/lib/generations/ingest";
import { resolveInput } from "@/lib/generations/inputs";
import { fail, generationTimings, mediaKindOf, soon, stopIfAborted, type GenerationJobPayload } from "@/lib/generations/run/common";
import { isTransient, markRunning } from "@/lib/generations/run/submit-step";
import type { JobResult } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { isProviderError } from "@/lib/providers/http/errors";
import type { InputRef } from "@/lib/validation/generations";

/**
 * RUNNING (the state machine: lib/generations/worker.ts): poll the provider, ingest each output as it succeeds
 * (side by side), mark the others failed or refused, and finish the run once every output is final or its deadline
 * has passed.
 */

async function posterKeyOf(generation: Generation): Promise<string | null> {
  if (!VIDEO_TOOLS.has(generation.tool)) return null;
  const params = generation.params as { image?: InputRef; face?: InputRef | null };
  const ref = generation.tool === "IMAGE_TO_VIDEO" ? params.image : params.face;
  if (!ref) return null;
  return resolveInput(generation.workspaceId, ref, "IMAGE")
    .then((input) => input.storageKey)
    .catch(() => null);
}

/** Once no output is pending: the run's final status from its outputs' (any READY one makes it SUCCEEDED). */
async function finishIfDone(generationId: string, timedOut = false): Promise<boolean> {
  const media = await listOutputStatuses(generationId);
  if (media.length === 0 || media.some((status) => status === "PENDING")) return false;
  const ready = media.some((status) => status === "READY");
  const allRefused = media.every((status) => status === "REFUSED");
  const someRefused = media.some((status) => status === "REFUSED");
  const outcome = ready
    ? { status: "SUCCEEDED" as const, errorCause: null, errorMessage: null }
    : allRefused
      ? { status: "REFUSED" as const, errorCause: "content_refused", errorMessage: "The provider refused to produce this content." }
      : timedOut
        ? { status: "FAILED" as const, errorCause: "timeout", errorMessage: "The provider did not finish this run in time (timed out)." }
        : {
            status: "FAILED" as const,
            errorCause: "failed",
            errorMessage: someRefused ? "Some results were refused and the others failed at the provider." : "The provider could not produce this. Retry it.",
          };
  await finishRunningRun(generationId, outcome);
  return true;
}

async function ingestOrFail(connection: WorkspaceConnection, generation: Generation, mediaId: string, url: string, posterKey: string | null) {
  try {
    const source = generation.provider === "RENDERNET" ? connection.downloads.rendernet : connection.downloads.qolaba;
    await ingestMedia(source, { workspaceId: generation.workspaceId, generationId: generation.id, mediaId, kind: mediaKindOf(generation), posterKey }, url);
  } catch (error) {
    if (!(error instanceof IngestRejected)) throw error;
    logger.warn("generation: output rejected", { generationId: generation.id, mediaId, reason: error.message });
    await settleOutput(mediaId, "FAILED");
  }
}

/** Waits for every one (none left running behind the handler's back), then throws the first failure if any. */
async function allSettledOrThrow(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

export async function poll(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload, signal?: AbortSignal): Promise<JobResult> {
  const polls = payload.polls ?? 1;
  const again = (): JobResult => ({ retryAt: soon(generationTimings.pollDelayMs(polls + 1)), payload: { generationId: generation.id, polls: polls + 1 } });
  if (generation.deadlineAt && generation.deadlineAt.getTime() < Date.now()) {
    await settlePendingOutputs(generation.id, "FAILED");
    await finishIfDone(generation.id, true);
    return { done: true };
  }
  const pending = await listPendingOutputs(generation.id);
  // Read only when an output is there to ingest, and once: it is a database read for video runs.
  let poster: Promise<string | null> | undefined;
  const posterKey = () => (poster ??= posterKeyOf(generation));

  try {
    if (generation.provider === "RENDERNET") {
      const remote = await connection.rendernet.getGeneration(generation.providerGenerationId as string);
      if (pending.length === 0 && remote.media.length > 0) {
        await markRunning(generation, remote.generationId, remote.media); // adds rows the create did not list
      }
      const rows = pending.length > 0 ? pending : await listPendingOutputs(generation.id);
      // Outputs are ingested side by side: a batch of four is ready when its slowest is, not after all four in turn.
      await allSettledOrThrow(
        rows.map(async (row) => {
          const item = remote.media.find((m) => m.id === row.providerMediaId) ?? remote.media[row.position];
          if (!item) return;
          if (item.status === "success" && item.url) await ingestOrFail(connection, generation, row.id, item.url, await posterKey());
          else if (item.status === "failed") await settleOutput(row.id, "FAILED");
          else if (item.status === "censored") await settleOutput(row.id, "REFUSED");
        }),
      );
    } else {
      let task;
      try {
        task = await connection.qolaba.getTask(generation.providerTaskId as string);
      } catch (error) {
        if (isProviderError(error) && error.cause === "content_refused") {
          await settlePendingOutputs(generation.id, "REFUSED");
          await finishIfDone(generation.id);
          return { done: true };
        }
        throw error;
      }
      if (task.status === "failed") {
        // Qolaba's own words go to the log (sanitized), not to people: the base URL is the workspace's choice.
        if (task.errorMessage) logger.info("generation: Qolaba task failed", { generationId: generation.id, reason: task.errorMessage });
        await fail(generation.id, ["RUNNING"], "failed", "Qolaba could not produce this. Retry it.");
        return { done: true };
      }
      if (task.status === "success") {
        // Matched by the provider's NSFW flags, slot by slot (lib/providers/qolaba/client.ts `slots`), side by side.
        await allSettledOrThrow(
          pending.map(async (row) => {
            const slot = task.slots[row.position];
            if (slot?.kind === "image") await ingestOrFail(connection, generation, row.id, slot.url, null);
            else {
              // Withheld by the safety filter: REFUSED; no image and no flag: FAILED.
              await settleOutput(row.id, slot?.kind === "withheld" ? "REFUSED" : "FAILED");
            }
          }),
        );
      }
    }
  } catch (error) {
    stopIfAborted(signal); // a poll or download cut short records nothing
    if (isProviderError(error) && !isTransient(error)) {
      await fail(generation.id, ["RUNNING"], error.cause, error.userMessage);
      return { done: true };
    }
    if (isProviderError(error)) return again(); // transient read trouble: keep polling until the deadline
    throw error;
  }
  return (await finishIfDone(generation.id)) ? { done: true } : again();
}
