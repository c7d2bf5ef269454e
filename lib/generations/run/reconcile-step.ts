import "server-only";
import { listTrackedProviderGenerationIds } from "@/lib/data/generation-runs";
import type { Generation } from "@/lib/generated/prisma/client";
import type { WorkspaceConnection } from "@/lib/connections/workspace";
import type { StoredRequest } from "@/lib/generations/build-request";
import { fail, generationTimings, QOLABA_UNKNOWN_OUTCOME, soon, stopIfAborted, type GenerationJobPayload } from "@/lib/generations/run/common";
import { isTransient, markRunning } from "@/lib/generations/run/submit-step";
import type { JobResult } from "@/lib/jobs/queue";
import { isProviderError } from "@/lib/providers/http/errors";

/**
 * RECONCILING (the state machine: lib/generations/worker.ts): a create whose answer was lost is looked for in
 * RenderNet's feed, among the generations no run tracks yet; found, the run is RUNNING; not found within the window,
 * it FAILED and nothing was charged. Qolaba has no feed: such a run fails saying it may have been charged.
 */
export async function reconcile(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload, signal?: AbortSignal): Promise<JobResult> {
  const since = payload.reconcileSince ?? Date.now();
  const request = generation.request as StoredRequest | null;
  if (!request || request.provider !== "rendernet" || !generation.sentAt) {
    await fail(generation.id, ["RECONCILING"], "unknown_outcome", QOLABA_UNKNOWN_OUTCOME);
    return { done: true };
  }
  const tracked = await listTrackedProviderGenerationIds(generation.workspaceId);
  try {
    const matches = await connection.rendernet.findLostGenerations({
      sentAt: generation.sentAt.getTime(),
      items: request.items,
      excludeGenerationIds: tracked,
    });
    const match = matches[0];
    if (match) {
      await markRunning(generation, match.generation.generationId, match.generation.media, { connectionId: connection.connectionId, sentAt: generation.sentAt });
      return { retryAt: soon(0), payload: { generationId: generation.id, polls: 1 } };
    }
  } catch (error) {
    stopIfAborted(signal);
    if (!isProviderError(error) || !isTransient(error)) throw error;
  }
  stopIfAborted(signal);
  if (Date.now() - since >= generationTimings.reconcileWindowMs) {
    await fail(generation.id, ["RECONCILING"], "not_received", "The provider did not receive this run; nothing was charged. Retry it.");
    return { done: true };
  }
  return { retryAt: soon(generationTimings.reconcileEveryMs), payload: { generationId: generation.id, reconcileSince: since } };
}
