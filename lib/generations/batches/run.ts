import "server-only";
import { can, type Viewer } from "@/lib/authz";
import { recordAudit } from "@/lib/data/audit";
import { advanceBatch, batchAuthorMembership, getBatchForJob, repeatingFailure, setBatchState, tallyBatch, type BatchRow } from "@/lib/data/batches";
import { inTransaction } from "@/lib/data/transaction";
import { BATCH_QUEUE, type BatchJobPayload } from "@/lib/generations/batches/batches";
import { cellRun } from "@/lib/generations/batches/plan";
import { priceRun } from "@/lib/generations/estimate";
import { submitBatchCell } from "@/lib/generations/submit";
import { providerCauseOf } from "@/lib/generations/user-errors";
import type { JobResult, QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import type { ProviderErrorCause } from "@/lib/providers/http/errors";
import { UserError } from "@/lib/result";
import { BATCH_IN_FLIGHT } from "@/lib/validation/batches";
import { plural } from "@/lib/validation/text";

/**
 * The `batch.run` job: one per batch run (a resume starts a new one), which submits the batch's next cells as its
 * author, at most BATCH_IN_FLIGHT of its runs in flight at once, and reschedules itself every second or so until every
 * cell is submitted and finished. What it promises:
 * - Each cell goes through the submit's own path (submitBatchCell: fair use, balance, the member's budget under its
 *   lock, the run and its job in one transaction) with a key derived from the batch and the cell, and `nextCell` only
 *   moves forward after the cell's run is recorded: a job killed in between submits the cell again, finds the run it
 *   recorded under that key, and moves on. No cell is ever submitted twice.
 * - The cap: before each cell, its combination's price (the provider's estimate, priced once and cached) is added to
 *   what the batch's runs already hold (charged, or estimated while unsettled: the budget's own rule). When that would
 *   pass the cap, the batch is PAUSED with the sentence saying so, and nothing more is sent.
 * - Errors that would repeat pause the batch with their sentence: the provider out of credits, a key it rejects, a
 *   model or setting it refuses (at pricing, at submit, or as a run's failure since the batch last resumed), the
 *   balance or the member's budget too short, the author no longer allowed to generate. Passing ones (the fair-use
 *   limits, the provider busy or slow) only wait.
 */

const TICK_MS = 1000;
/** Provider failures that the next run would meet again. */
const REPEATING: readonly ProviderErrorCause[] = ["out_of_credits", "invalid_key", "invalid_input", "not_found", "blocked"];
const PASSING: readonly ProviderErrorCause[] = ["rate_limited", "unavailable", "timeout", "unknown_outcome"];
/** A run's recorded `errorCause`s that mean the same (no_connection: the workspace's provider can't be used). */
const REPEATING_FAILURES = [...REPEATING, "no_connection"];

const later = (ms = TICK_MS): JobResult => ({ retryAt: new Date(Date.now() + ms) });

async function stop(batch: BatchRow, reason: string): Promise<JobResult> {
  await inTransaction(async (tx) => {
    const moved = await setBatchState(tx, batch.id, ["RUNNING"], { state: "PAUSED", pauseReason: reason });
    if (moved) {
      await recordAudit(
        { action: "batch.paused", workspaceId: batch.workspaceId, actorId: null, targetType: "batch", targetId: batch.id, details: { name: batch.name, reason } },
        tx,
      );
    }
  });
  return { done: true };
}

async function authorViewer(batch: BatchRow): Promise<Viewer | null> {
  if (!batch.createdById) return null;
  const membership = await batchAuthorMembership(batch.workspaceId, batch.createdById);
  if (!membership || !can(membership.role, "generation:create")) return null;
  return {
    userId: batch.createdById,
    workspaceId: membership.workspace.id,
    workspaceSlug: membership.workspace.slug,
    workspaceName: membership.workspace.name,
    personal: membership.workspace.personal,
    role: membership.role,
  };
}

/** A refusal of the cell's pricing or submit: wait for a passing one, stop the batch for one that would repeat. */
function refusal(batch: BatchRow, error: unknown): Promise<JobResult> {
  if (!(error instanceof UserError)) throw error;
  const cause = providerCauseOf(error);
  if (error.code === "rate_limited" || (cause && PASSING.includes(cause))) return Promise.resolve(later(5000));
  return stop(batch, error.message);
}

export async function runBatchJob(payload: BatchJobPayload): Promise<JobResult> {
  const batch = await getBatchForJob(payload.batchId);
  // Gone, no longer running, or resumed since this job was made (a newer job drives it now).
  if (!batch || batch.state !== "RUNNING" || batch.resumedAt.getTime() !== payload.resumedAt) return { done: true };
  const viewer = await authorViewer(batch);
  if (!viewer) return stop(batch, "Its author can no longer generate in this workspace.");
  const failed = await repeatingFailure(batch.id, REPEATING_FAILURES, batch.resumedAt);
  if (failed) return stop(batch, failed.errorMessage ?? "A run failed with an error the next runs would meet too.");

  const tally = await tallyBatch(batch.id);
  if (batch.nextCell >= batch.total) {
    if (tally.inFlight > 0) return later();
    await inTransaction(async (tx) => {
      if (await setBatchState(tx, batch.id, ["RUNNING"], { state: "DONE" })) {
        await recordAudit(
          { action: "batch.finished", workspaceId: batch.workspaceId, actorId: null, targetType: "batch", targetId: batch.id, details: { name: batch.name } },
          tx,
        );
      }
    });
    return { done: true };
  }

  let committed = tally.committed;
  let next = batch.nextCell;
  for (let slots = BATCH_IN_FLIGHT - tally.inFlight; slots > 0 && next < batch.total; slots--) {
    const run = cellRun(batch.plan, next);
    let credits: number | null;
    try {
      ({ credits } = await priceRun(viewer, run));
    } catch (error) {
      return refusal(batch, error);
    }
    if (credits !== null && committed + credits > batch.capCredits) {
      const left = Math.max(0, batch.capCredits - committed);
      return stop(
        batch,
        `Stopped at its cap: the next run costs ${plural(credits, "credit")} and ${left.toLocaleString("en-US")} of its ${batch.capCredits.toLocaleString("en-US")}-credit cap ${left === 1 ? "is" : "are"} left.`,
      );
    }
    try {
      await submitBatchCell(viewer, { batchId: batch.id, cell: next, boardId: batch.boardId, run });
    } catch (error) {
      return refusal(batch, error);
    }
    committed += credits ?? 0;
    // Paused or cancelled meanwhile: the cell's run is recorded (and counted); the next job run reads the new state.
    if (!(await advanceBatch(batch.id, next, next + 1))) return { done: true };
    next += 1;
  }
  return later();
}

export const batchQueue: QueueDefinition<BatchJobPayload> = {
  handle: (payload) => runBatchJob(payload),
  async onDead(payload, error) {
    logger.error("batch: given up after repeated errors", { batchId: payload.batchId, error: (error as Error)?.message });
    const batch = await getBatchForJob(payload.batchId);
    if (batch) await stop(batch, "Atelier could not go on with this batch after repeated errors. Resume it to try again.");
  },
};

export const batchQueues = { [BATCH_QUEUE]: batchQueue } as Record<string, QueueDefinition<never>>;
