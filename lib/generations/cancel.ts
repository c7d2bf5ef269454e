import "server-only";
import {
  cancelRunNotSent,
  countOutputs,
  findRunToCancel,
  finishCancellingRun,
  getRunForCancelJob,
  markRunCancelling,
  requestRunCancel,
} from "@/lib/data/generation-runs";
import type { GenerationStatus } from "@/lib/generated/prisma/enums";
import { reportForeignIds } from "@/lib/data/denials";
import { recordAudit } from "@/lib/data/audit";
import { can, requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import type { StoredRequest } from "@/lib/generations/build-request";
import type { CancelResultDTO } from "@/lib/generations/types";
import { enqueue, type JobResult, type QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { isProviderError } from "@/lib/providers/http/errors";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";
import { recordBalanceQuietly } from "@/lib/data/balance-snapshots";

/**
 * Cancelling a run: by its author, an admin or an owner (others: forbidden; another workspace's id: not found).
 *
 * - Not sent yet (QUEUED): one conditional update makes it CANCELLED, not charged. The worker's claim of a QUEUED run
 *   is conditional too, so exactly one of them wins: either the run is cancelled and its job finds it final and sends
 *   nothing, or the create is already on its way and the cancel takes the next branch.
 * - Create on its way (SUBMITTING, RECONCILING): `cancelRequestedAt` is set and the status is left to the worker,
 *   which must still learn whether the provider has the run. It never sends a create for such a run again; if the
 *   provider refused it or never got it, the run ends CANCELLED (not charged); once RUNNING, the cancel job below
 *   takes it over.
 * - At the provider (RUNNING): CANCELLING, so the worker stops polling it; the `generation.cancel` job deletes
 *   RenderNet's generation (DELETE /pub/v1/generations/{id}; Qolaba has no cancel: its task may still run and
 *   charge), drops the results still pending and ends the run CANCELLED with its charge. Results already in
 *   Atelier stay. A run whose results all arrived before the job got to it finished anyway: it ends SUCCEEDED, kept.
 *   A run that finished before the cancel is not cancelled ("already finished; its results are kept").
 * One audit entry (`generation.cancelled`) is written in the transaction of the change; a repeated cancel is a no-op.
 */

export const CANCEL_QUEUE = "generation.cancel";

/** Not sent to the provider: cancelled on the spot. (A phase before QUEUED, if one is added, belongs here too.) */
const NOT_SENT: ReadonlySet<GenerationStatus> = new Set(["PREPARING", "QUEUED"]);
const FINISHED: ReadonlySet<GenerationStatus> = new Set(["SUCCEEDED", "FAILED", "REFUSED", "CANCELLED"]);

/** How long the cancel job waits for the worker to learn whether a create in flight reached the provider. */
export const cancelTimings = { waitForCreateMs: 15 * 60_000, recheckMs: 500 };

const PROVIDER_NAME = { RENDERNET: "RenderNet", QOLABA: "Qolaba" } as const;

type CancelPayload = { generationId: string; since: number };

export async function cancelGeneration(viewer: Viewer, generationId: string): Promise<CancelResultDTO> {
  requirePermission(viewer, "generation:create");
  const workspaceId = viewer.workspaceId;
  // The status can move under us (the worker claims, accepts or finishes the run): each round is one conditional
  // update on the status just read, so a lost race reads again.
  for (let round = 0; round < 5; round++) {
    const run = await findRunToCancel(workspaceId, generationId);
    if (!run) {
      reportForeignIds(viewer, "generation", [generationId], "cancelGeneration");
      throw new NotFoundError("That run");
    }
    if (run.createdById !== viewer.userId && !can(viewer.role, "generation:cancel_any")) {
      throw new ForbiddenError("Only the member who started this run, an admin or an owner can cancel it.");
    }
    if (run.status === "CANCELLED" || run.status === "CANCELLING" || run.cancelRequestedAt) {
      return { generationId: run.id, status: run.status, cancelling: run.status !== "CANCELLED" };
    }
    if (FINISHED.has(run.status)) throw new UserError("This run has already finished; its results are kept.", "conflict");

    const now = new Date();
    const notSent = NOT_SENT.has(run.status);
    const next: GenerationStatus = notSent ? "CANCELLED" : run.status === "RUNNING" ? "CANCELLING" : run.status;
    const change = notSent ? { notSent: true as const, at: now } : { notSent: false as const, next, at: now };
    // The cancel job and the audit entry commit with the change, and only when it was made.
    const changed = await requestRunCancel({ id: run.id, workspaceId, from: run.status }, change, async (tx) => {
      if (!notSent) {
        await enqueue(tx, {
          queue: CANCEL_QUEUE,
          key: `generation-cancel:${run.id}`,
          groupKey: workspaceId,
          payload: { generationId: run.id, since: now.getTime() } satisfies CancelPayload,
          maxAttempts: 10,
        });
      }
      await recordAudit(
        {
          action: "generation.cancelled",
          workspaceId,
          actorId: viewer.userId,
          targetType: "generation",
          targetId: run.id,
          details: {
            tool: run.tool,
            provider: PROVIDER_NAME[run.provider],
            sent: !notSent,
            ...(run.createdById !== viewer.userId ? { author: run.createdById } : {}),
          },
        },
        tx,
      );
    });
    if (changed) return { generationId: run.id, status: next, cancelling: next !== "CANCELLED" };
  }
  throw new UserError("This run is changing state right now. Try again.", "conflict");
}

/** A run that was never sent: cancelled, not charged (also used by the worker for a run sent back to the queue). */
export async function cancelUnsent(generationId: string): Promise<boolean> {
  return cancelRunNotSent(generationId, [...NOT_SENT]);
}

// ---------------------------------------------------------------------------------------------------------------
// The `generation.cancel` job

const soon = (ms: number) => new Date(Date.now() + ms);

type CancellingRun = {
  id: string;
  workspaceId: string;
  provider: "RENDERNET" | "QOLABA";
  providerGenerationId: string | null;
  request: unknown;
  chargedCredits: number | null;
};

export async function runCancelJob(payload: CancelPayload): Promise<JobResult> {
  const run = await getRunForCancelJob(payload.generationId);
  if (!run || !run.cancelRequestedAt) return { done: true };
  switch (run.status) {
    case "PREPARING":
    case "QUEUED":
      await cancelUnsent(run.id);
      return { done: true };
    case "SUBMITTING":
    case "RECONCILING":
      // The worker is still learning whether the provider has it; it ends the run CANCELLED if not.
      if (Date.now() - payload.since > cancelTimings.waitForCreateMs) return { done: true };
      return { retryAt: soon(cancelTimings.recheckMs) };
    case "RUNNING":
      // Accepted after the cancel was asked for: stop polling it, then finish below on the next turn.
      await markRunCancelling(run.id);
      return { retryAt: soon(0) };
    case "CANCELLING":
      await stopAtProvider(run);
      return { done: true };
    default:
      return { done: true };
  }
}

async function stopAtProvider(run: CancellingRun): Promise<void> {
  const { pending, total: outputs } = await countOutputs(run.id);
  // Everything arrived before we got here: nothing left to stop at the provider (finish() keeps the results).
  const refund = (pending > 0 || outputs === 0) && run.provider === "RENDERNET" && run.providerGenerationId ? await deleteAtRenderNet(run) : null;
  await finish(run.id, refund);
}

/**
 * Deletes RenderNet's generation. The balance is read just before and just after the DELETE: a rise of exactly the
 * charge is a refund; no change means none; anything else (another run charged meanwhile) leaves it unknown (null).
 * Transient trouble throws, so the job tries again; an account Atelier no longer reaches is left as it is.
 */
async function deleteAtRenderNet(run: CancellingRun): Promise<{ refunded: number } | null> {
  let connection: WorkspaceConnection;
  try {
    connection = await getWorkspaceConnection(run.workspaceId);
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
  const request = run.request as StoredRequest | null;
  // Made with another key: that account is out of reach now.
  if (!request || request.provider !== "rendernet" || request.connectionId !== connection.connectionId) return null;
  const before = await readBalance(connection, run.workspaceId, request);
  try {
    await connection.rendernet.deleteGeneration(run.providerGenerationId!);
  } catch (error) {
    if (isProviderError(error) && (error.cause === "rate_limited" || error.cause === "unavailable" || error.cause === "timeout")) throw error;
    if (!(error instanceof UserError) && !isProviderError(error)) throw error;
    // Already gone (404), a key that no longer works, or an answer we can't act on: nothing more to do here.
    logger.info("generation: RenderNet's copy of a cancelled run was not deleted", { generationId: run.id, reason: isProviderError(error) ? error.cause : "unavailable" });
    return null;
  }
  const after = await readBalance(connection, run.workspaceId, request);
  const charged = run.chargedCredits;
  if (before === null || after === null || charged === null) return null;
  if (charged > 0 && after - before === charged) return { refunded: charged };
  return after === before ? { refunded: 0 } : null;
}

/** The provider's balance now (its estimate endpoint reports it), noted as the latest figure; null if unreadable. */
async function readBalance(connection: WorkspaceConnection, workspaceId: string, request: StoredRequest & { provider: "rendernet" }): Promise<number | null> {
  try {
    const { balance } = await connection.rendernet.estimate(request.items);
    recordBalanceQuietly(workspaceId, "RENDERNET", connection.connectionId, balance);
    return balance;
  } catch {
    return null;
  }
}

/** Ends a CANCELLING run (lib/data/generation-runs.ts `finishCancellingRun`), with what the DELETE proved of a refund. */
async function finish(generationId: string, refund: { refunded: number } | null): Promise<void> {
  const charge = refund && refund.refunded > 0 ? { refundedCredits: refund.refunded, chargedCredits: 0 } : refund ? { refundedCredits: 0 } : {};
  await finishCancellingRun(generationId, charge);
}

export const cancelQueue: QueueDefinition<CancelPayload> = {
  handle: (payload) => runCancelJob(payload),
  async onDead(payload, error) {
    // The provider kept failing the DELETE: stop trying, and end the run here anyway (its charge stays as recorded).
    logger.error("generation: cancel given up after repeated errors", { generationId: payload.generationId, error: (error as Error)?.message });
    await finish(payload.generationId, null);
  },
};
