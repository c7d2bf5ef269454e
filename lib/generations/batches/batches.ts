import "server-only";
import { can, requirePermission, type Viewer } from "@/lib/authz";
import { auditActor, recordAudit } from "@/lib/data/audit";
import { batchNotFound, insertBatch, lockBatch, setBatchState, type BatchRow } from "@/lib/data/batches";
import { inTransaction, type Tx } from "@/lib/data/transaction";
import { storedPlanOf } from "@/lib/generations/batches/plan";
import type { StartBatchDTO } from "@/lib/generations/batches/types";
import { enqueue } from "@/lib/jobs/queue";
import { ForbiddenError, UserError } from "@/lib/result";
import { batchSize, type BatchPlan } from "@/lib/validation/batches";

/**
 * Starting, pausing, resuming and cancelling a batch. Each change locks the batch's row, moves its state with a
 * conditional update and writes its audit entry in the same transaction. A batch is driven by one job at a time
 * (`batch.run`, lib/generations/batches/run.ts): its key and payload carry the batch's `resumedAt`, so a resume
 * starts a new job and a job from before a pause finds its stamp stale and ends.
 *
 * Cancel: the cells not yet submitted are never submitted; runs already submitted (queued, sent or running) are left
 * to finish, since they are priced, count against the cap already and may already be charged. Each can still be
 * cancelled from the runs panel like any run.
 */

export const BATCH_QUEUE = "batch.run";

export type BatchJobPayload = { batchId: string; resumedAt: number };

async function enqueueBatchJob(tx: Tx, batch: { id: string; workspaceId: string }, resumedAt: Date) {
  const payload: BatchJobPayload = { batchId: batch.id, resumedAt: resumedAt.getTime() };
  await enqueue(tx, { queue: BATCH_QUEUE, key: `batch:${batch.id}:${resumedAt.getTime()}`, groupKey: batch.workspaceId, payload });
}

export async function startBatch(viewer: Viewer, input: { name: string; capCredits: number; plan: BatchPlan }): Promise<StartBatchDTO> {
  requirePermission(viewer, "generation:create");
  requirePermission(viewer, "board:create");
  const plan = storedPlanOf(input.plan);
  const total = batchSize(plan);
  const actor = await auditActor(viewer.userId);
  // One entry for the batch and its board (the board's name is in it): one change, one line in the log.
  return inTransaction(async (tx) => {
    const batch = await insertBatch(tx, { workspaceId: viewer.workspaceId, createdById: viewer.userId, name: input.name, plan, total, capCredits: input.capCredits });
    const row = await lockBatch(tx, viewer.workspaceId, batch.id);
    await enqueueBatchJob(tx, { id: batch.id, workspaceId: viewer.workspaceId }, row!.resumedAt);
    await recordAudit(
      {
        action: "batch.started",
        workspaceId: viewer.workspaceId,
        ...actor,
        targetType: "batch",
        targetId: batch.id,
        details: { name: input.name, runs: total, cap: input.capCredits, board: batch.boardName },
      },
      tx,
    );
    return { batchId: batch.id, boardName: batch.boardName };
  });
}

/** The batch, locked, if the viewer may change it: its author, or an admin or owner (who may cancel anyone's runs). */
async function controlled(tx: Tx, viewer: Viewer, batchId: string, what: string): Promise<BatchRow> {
  requirePermission(viewer, "generation:create");
  const batch = await lockBatch(tx, viewer.workspaceId, batchId);
  if (!batch) batchNotFound(viewer, batchId, what);
  if (batch.createdById !== viewer.userId && !can(viewer.role, "generation:cancel_any")) {
    throw new ForbiddenError("Only the batch's author, an admin or an owner can change it.");
  }
  return batch;
}

const details = (batch: BatchRow, extra: Record<string, string | number | null> = {}) => ({ name: batch.name, ...extra });

export async function pauseBatch(viewer: Viewer, batchId: string): Promise<void> {
  const actor = await auditActor(viewer.userId);
  await inTransaction(async (tx) => {
    const batch = await controlled(tx, viewer, batchId, "pauseBatch");
    if (batch.state !== "RUNNING") throw new UserError(`This batch is ${batch.state.toLowerCase()}, not running.`, "conflict");
    await setBatchState(tx, batch.id, ["RUNNING"], { state: "PAUSED", pauseReason: null });
    await recordAudit({ action: "batch.paused", workspaceId: viewer.workspaceId, ...actor, targetType: "batch", targetId: batch.id, details: details(batch) }, tx);
  });
}

/** Resumes a paused batch, with a higher cap when given one (a batch stopped at its cap would otherwise stop again). */
export async function resumeBatch(viewer: Viewer, batchId: string, capCredits?: number): Promise<void> {
  const actor = await auditActor(viewer.userId);
  await inTransaction(async (tx) => {
    const batch = await controlled(tx, viewer, batchId, "resumeBatch");
    if (batch.state !== "PAUSED") throw new UserError(`This batch is ${batch.state.toLowerCase()}, not paused.`, "conflict");
    const resumedAt = new Date();
    await setBatchState(tx, batch.id, ["PAUSED"], { state: "RUNNING", pauseReason: null, capCredits, resumedAt });
    await enqueueBatchJob(tx, batch, resumedAt);
    await recordAudit(
      {
        action: "batch.resumed",
        workspaceId: viewer.workspaceId,
        ...actor,
        targetType: "batch",
        targetId: batch.id,
        details: details(batch, capCredits !== undefined && capCredits !== batch.capCredits ? { cap: capCredits } : {}),
      },
      tx,
    );
  });
}

export async function cancelBatch(viewer: Viewer, batchId: string): Promise<void> {
  const actor = await auditActor(viewer.userId);
  await inTransaction(async (tx) => {
    const batch = await controlled(tx, viewer, batchId, "cancelBatch");
    if (batch.state !== "RUNNING" && batch.state !== "PAUSED") throw new UserError(`This batch is already ${batch.state.toLowerCase()}.`, "conflict");
    await setBatchState(tx, batch.id, ["RUNNING", "PAUSED"], { state: "CANCELLED", pauseReason: null });
    await recordAudit(
      {
        action: "batch.cancelled",
        workspaceId: viewer.workspaceId,
        ...actor,
        targetType: "batch",
        targetId: batch.id,
        details: details(batch, { notSubmitted: batch.total - batch.nextCell }),
      },
      tx,
    );
  });
}
