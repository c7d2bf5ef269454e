import "server-only";
import { balanceReadBefore } from "@/lib/data/balances";
import { claimRunForCreate, markQolabaRunRunning, markRenderNetRunRunning, markRunReconciling, returnRunToQueue } from "@/lib/data/generation-runs";
import type { Generation } from "@/lib/generated/prisma/client";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import { buildRequest, deadlineFor, type StoredRequest } from "@/lib/generations/build-request";
import { chargeOnAcceptance } from "@/lib/generations/charges";
import {
  fail,
  generationTimings,
  mediaKindOf,
  QOLABA_UNKNOWN_OUTCOME,
  soon,
  stopIfAborted,
  untilAborted,
  type GenerationJobPayload,
} from "@/lib/generations/run/common";
import { seedOf, withChosenSeed } from "@/lib/generations/seeds";
import { catalogFor, generationCatalogOf } from "@/lib/generations/catalog";
import type { JobResult } from "@/lib/jobs/queue";
import { isProviderError, type ProviderError } from "@/lib/providers/http/errors";
import type { RenderNetMedia } from "@/lib/providers/rendernet/response-schemas";
import { UserError } from "@/lib/result";
import { recordBalanceQuietly } from "@/lib/data/balance-snapshots";
import { generationRequest, type GenerationRequest } from "@/lib/validation/generations";

/**
 * QUEUED → send the create, once (the state machine: lib/generations/worker.ts): build the request, claim the run
 * (SUBMITTING committed before anything is sent), send, and record what the answer proves.
 */

function parseStoredRun(generation: Generation): GenerationRequest {
  return generationRequest.parse({ tool: generation.tool, params: generation.params });
}

export async function submit(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload, signal?: AbortSignal): Promise<JobResult> {
  let request = generation.request as StoredRequest | null;
  // The seed is in the stored params, so a rebuild sends the same one. A run recorded without one (queued before
  // Atelier chose seeds) gets one now, kept in its params with the claim below, so what is sent is always recorded.
  let seededParams: GenerationRequest["params"] | null = null;
  const unseeded = seedOf(generation.tool, generation.params) === null;
  if (!request || request.connectionId !== connection.connectionId || unseeded) {
    try {
      const stored = parseStoredRun(generation);
      const run = withChosenSeed(stored);
      if (run !== stored) seededParams = run.params;
      request = (await buildRequest(connection, generation.workspaceId, run)).request;
    } catch (error) {
      stopIfAborted(signal);
      if (error instanceof UserError) {
        await fail(generation.id, ["QUEUED"], "invalid_input", error.message);
        return { done: true };
      }
      if (isProviderError(error) && !isTransient(error)) {
        await fail(generation.id, ["QUEUED"], error.cause, error.userMessage);
        return { done: true };
      }
      throw error; // transient: still QUEUED, nothing sent, safe to retry
    }
  }

  // Read before the point of no return: failing here leaves the run QUEUED, to be retried. The catalogue is shared
  // (cached per account), so it is read through an unbound connection and only waited for under the job's signal.
  const catalog =
    request.provider === "rendernet"
      ? generationCatalogOf(await untilAborted(catalogFor(connection, signal ? () => getWorkspaceConnection(generation.workspaceId) : undefined), signal))
      : undefined;
  stopIfAborted(signal);

  // The point of no return: recorded and committed before anything is sent.
  const sentAt = new Date();
  const claimed = await claimRunForCreate(generation.id, {
    sentAt,
    request,
    deadlineAt: deadlineFor(mediaKindOf(generation), sentAt),
    params: seededParams ?? undefined,
  });
  if (!claimed) return { retryAt: soon(0) };

  if (request.provider === "rendernet") {
    try {
      const outcome = await connection.rendernet.createGenerations(request.items, catalog ? { catalog } : {});
      const created = outcome.generations[0];
      if (!created || outcome.incomplete) return toReconciling(generation.id, payload);
      await markRunning(generation, created.generationId, created.media, {
        connectionId: connection.connectionId,
        sentAt,
        creditsRemaining: outcome.creditsRemaining,
      });
      return { retryAt: soon(generationTimings.pollDelayMs(1)), payload: { generationId: generation.id, polls: 1 } };
    } catch (error) {
      stopIfAborted(signal); // SUBMITTING stays: the next owner reconciles, never resends
      const answer = createAnswer(error);
      if (answer === "resend") return backToQueue(generation, payload, error as ProviderError);
      if (answer === "refused") {
        // Refused: nothing was created (validation, key, credits, content).
        await fail(generation.id, ["SUBMITTING"], (error as ProviderError).cause, (error as ProviderError).userMessage);
        return { done: true };
      }
      return toReconciling(generation.id, payload);
    }
  }

  try {
    const submission = await connection.qolaba.imageToImage(request.input);
    await markQolabaRunRunning(generation, { providerTaskId: submission.taskId, outputs: request.input.batch ?? 1 });
    return { retryAt: soon(generationTimings.pollDelayMs(1)), payload: { generationId: generation.id, polls: 1 } };
  } catch (error) {
    stopIfAborted(signal); // SUBMITTING stays: the next owner reports it as unknown, never resends
    const answer = createAnswer(error);
    if (answer === "resend") return backToQueue(generation, payload, error as ProviderError);
    if (answer === "refused") {
      await fail(generation.id, ["SUBMITTING"], (error as ProviderError).cause, (error as ProviderError).userMessage);
    } else {
      await fail(generation.id, ["SUBMITTING"], "unknown_outcome", QOLABA_UNKNOWN_OUTCOME);
    }
    return { done: true };
  }
}

/**
 * A create that certainly did nothing (429, or a connection never made): the run goes back to QUEUED and is sent
 * again later, after the provider's Retry-After, a bounded number of times.
 */
async function backToQueue(generation: Generation, payload: GenerationJobPayload, error: ProviderError): Promise<JobResult> {
  const tries = (payload.submitTries ?? 0) + 1;
  const retryAfterMs = error.retryAfterMs ?? 0;
  if (tries >= generationTimings.maxSubmitTries || retryAfterMs > generationTimings.maxCreateRetryAfterMs) {
    await fail(generation.id, ["SUBMITTING"], error.cause, error.userMessage);
    return { done: true };
  }
  await returnRunToQueue(generation.id);
  const delay = Math.max(retryAfterMs, generationTimings.submitRetryMs(tries));
  return { retryAt: soon(delay), payload: { generationId: generation.id, submitTries: tries } };
}

export function isTransient(error: ProviderError): boolean {
  return error.cause === "rate_limited" || error.cause === "unavailable" || error.cause === "timeout";
}

/**
 * What a failed create proves, which decides whether it may ever be sent again:
 * - "resend": certainly nothing was done (429, a connection never made, a 408): back to QUEUED, bounded;
 * - "refused": a 4xx refusal or an outbound refusal: nothing was done, and sending it again would not help;
 * - "unknown": it may have been carried out (unknown_outcome from the client, or anything else thrown while sending).
 * The clients report every 5xx of a create as unknown_outcome; a retryable cause carrying a 5xx status is treated as
 * unknown here too, as the worker's own guard against a resend. A refusal with a 5xx (Qolaba's 500 naming the token)
 * stays a refusal.
 */
export function createAnswer(error: unknown): "resend" | "refused" | "unknown" {
  if (!isProviderError(error) || error.cause === "unknown_outcome") return "unknown";
  if (isTransient(error)) return error.status !== undefined && error.status >= 500 ? "unknown" : "resend";
  return "refused";
}

/** SUBMITTING → RECONCILING, looked up in the provider's feed at once. */
export async function toReconciling(generationId: string, payload: GenerationJobPayload): Promise<JobResult> {
  await markRunReconciling(generationId);
  return { retryAt: soon(0), payload: { generationId, reconcileSince: payload.reconcileSince ?? Date.now() } };
}

/** What the provider answered when it accepted the create (absent when the poll only adds media rows). */
type Acceptance = { connectionId: string; sentAt: Date; creditsRemaining?: number | undefined };

/** A RenderNet generation found (accepted, reconciled, or polled with outputs the create did not list): RUNNING. */
export async function markRunning(generation: Generation, providerGenerationId: string, media: RenderNetMedia[], accepted?: Acceptance): Promise<void> {
  // RenderNet charges on accepting a create: the charge is known from here (lib/generations/charges.ts).
  const charge = accepted
    ? chargeOnAcceptance({
        estimatedCredits: generation.estimatedCredits,
        creditsRemaining: accepted.creditsRemaining,
        balanceBefore: accepted.creditsRemaining === undefined ? null : await balanceReadBefore(generation.workspaceId, accepted.connectionId, accepted.sentAt),
      })
    : {};
  // The answer's balance is the provider's latest figure: the forms and the usage page show it.
  if (accepted?.creditsRemaining !== undefined) recordBalanceQuietly(generation.workspaceId, "RENDERNET", accepted.connectionId, accepted.creditsRemaining);
  await markRenderNetRunRunning(generation, {
    providerGenerationId,
    kind: mediaKindOf(generation),
    providerMediaIds: media.map((item) => item.id),
    charge,
  });
}
