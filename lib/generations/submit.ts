import "server-only";
import { reportForeignIds } from "@/lib/data/denials";
import { auditActor, recordAudit } from "@/lib/data/audit";
import { requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { boardInWorkspace } from "@/lib/data/boards";
import { findGenerationByKey, findRecordedRun, insertGeneration } from "@/lib/data/generations";
import { inTransaction, isUniqueViolation } from "@/lib/data/transaction";
import { buildRequest, deadlineFor } from "@/lib/generations/build-request";
import { GENERATION_QUEUE } from "@/lib/generations/constants";
import { balanceShortMessage, formEstimateOf, priceAtSubmit } from "@/lib/generations/estimate";
import { noteMissingInput } from "@/lib/generations/inputs";
import { recordedRun } from "@/lib/generations/recorded-run";
import { seedOf, withChosenSeed, withRandomSeed } from "@/lib/generations/seeds";
import { admitRun, inWorkspaceTurn } from "@/lib/generations/submit-limits";
import type { SubmitResultDTO } from "@/lib/generations/types";
import { parseRun, toUserError } from "@/lib/generations/user-errors";
import { enqueue } from "@/lib/jobs/queue";
import { NotFoundError, UserError } from "@/lib/result";
import { enforceBudget } from "@/lib/usage/budgets";
import type { GenerationRequest } from "@/lib/validation/generations";

/**
 * Submit, Retry and Vary: each checks the run, records it with its job in one transaction and returns without
 * waiting for the provider's uploads; the worker (lib/generations/worker.ts) uploads its inputs, sends it, tracks
 * it and ingests the results. Every function takes the Viewer, checks the permission, and stays in the viewer's
 * workspace.
 */

async function existingByKey(workspaceId: string, idempotencyKey: string): Promise<SubmitResultDTO | null> {
  const row = await findGenerationByKey(workspaceId, idempotencyKey);
  return row ? { generationId: row.id, status: row.status, deduplicated: true } : null;
}

type RunInput = {
  idempotencyKey: string;
  boardId: string | null;
  run: GenerationRequest;
  retryOfId?: string;
  /** Vary: the run this one varies; its seed is never chosen again. */
  variationOf?: { id: string; seed: number | null | undefined };
  /** A batch's cell (lib/generations/batches/run.ts): its seed is already chosen, its key derived from the cell. */
  batch?: { id: string; cell: number };
};

/** In the workspace's turn (lib/generations/submit-limits.ts), so one workspace's burst queues behind itself only. */
function createGeneration(viewer: Viewer, input: RunInput): Promise<SubmitResultDTO> {
  return inWorkspaceTurn(viewer, async () => {
    // A replay of a recorded run (double click, retried request) answers with it and is not counted.
    const earlier = await existingByKey(viewer.workspaceId, input.idempotencyKey);
    if (earlier) return earlier;
    // The run's reads (this database only: nothing reaches the provider) go side by side with taking its places; an
    // error of theirs is raised once the places are taken, so that they are given back.
    const reads = readRun(viewer, input);
    reads.catch(() => undefined); // refused below: nobody reads them
    // Fair use: a place for this run, before anything reaches the provider; given back unless a run is recorded.
    const admission = await admitRun(viewer);
    let recorded = false;
    try {
      const result = await recordGeneration(viewer, input, await reads);
      recorded = !result.deduplicated;
      return result;
    } finally {
      if (!recorded) await admission.release();
    }
  });
}

const whatOf = (input: RunInput) =>
  input.retryOfId ? "retryGeneration" : input.variationOf ? "varyGeneration" : input.batch ? "submitBatchCell" : "submitGeneration";

type RunReads = Awaited<ReturnType<typeof readRun>>;

/**
 * The run as asked and as it will be sent, and what recording it needs from this database, read side by side: the
 * audit row's actor is read here so that the transaction holds its connection for the writes only.
 */
async function readRun(viewer: Viewer, input: RunInput) {
  const workspaceId = viewer.workspaceId;
  // A seed left on "random" is chosen here, so the stored params, the stored request and what is sent all carry it.
  const asked = parseRun(input.run);
  const run = withChosenSeed(asked, input.variationOf?.seed);
  const [boardFound, connection, actor, formEstimate] = await Promise.all([
    input.boardId ? boardInWorkspace(workspaceId, input.boardId) : true,
    getWorkspaceConnection(workspaceId),
    auditActor(viewer.userId),
    formEstimateOf(workspaceId, asked), // the form priced the run as asked (its seed may be left random)
  ]);
  return { run, boardFound, connection, actor, formEstimate };
}

/**
 * Checks and records the run with its job (one transaction) and returns; deduplicated when its key won a race
 * elsewhere. Nothing here waits for an upload: inputs are resolved in the workspace (a foreign id is "not found" at
 * once) and those not yet at the provider are left to the run's job, the run recorded PREPARING ("Uploading input").
 * Cost: a run priced here (see priceAtSubmit) is refused now if the balance or the member's budget cannot cover it,
 * and then counts against the budget like any run in flight; a run that could not be priced here is priced by its
 * job after the uploads and checked against the balance and the budget under the same lock, before the create.
 */
async function recordGeneration(viewer: Viewer, input: RunInput, reads: RunReads): Promise<SubmitResultDTO> {
  const workspaceId = viewer.workspaceId;
  const what = whatOf(input);
  const { run, boardFound, connection, actor, formEstimate } = reads;
  if (input.boardId && !boardFound) {
    reportForeignIds(viewer, "board", [input.boardId], what);
    throw new NotFoundError("That board");
  }
  // A provider that can't be used refuses the run before any input is uploaded to it.
  const unavailable = run.tool === "CONTROLNET" ? connection.unavailable.qolaba : connection.unavailable.rendernet;
  if (unavailable) throw new UserError(unavailable, "conflict");
  const built = await buildRequest(connection, workspaceId, run, { uploads: "later" }).catch((error: unknown) => {
    noteMissingInput(viewer, error, what);
    return toUserError(error);
  });
  const preparing = built.pendingUploads > 0;
  const estimate = await priceAtSubmit(connection, workspaceId, built, formEstimate);
  if (estimate?.credits != null && estimate.balance !== null && estimate.credits > estimate.balance) {
    throw new UserError(balanceShortMessage(estimate.credits, estimate.balance), "conflict");
  }
  const credits = estimate?.credits ?? null;
  try {
    const generation = await inTransaction(async (tx) => {
      // The member's monthly budget, checked under a lock on their membership so concurrent submits can't overspend.
      await enforceBudget(tx, { workspaceId, userId: viewer.userId, cost: credits });
      const row = await insertGeneration(tx, {
        workspaceId,
        createdById: viewer.userId,
        tool: run.tool,
        provider: built.provider,
        status: preparing ? "PREPARING" : "QUEUED",
        idempotencyKey: input.idempotencyKey,
        params: run.params,
        // With inputs still to upload the request holds placeholders: the job builds it again (worker.ts).
        request: preparing ? null : built.request,
        prompt: built.prompt,
        modelLabel: built.modelLabel,
        estimatedCredits: credits,
        inputMediaId: built.inputMediaId,
        boardId: input.boardId,
        retryOfId: input.retryOfId ?? null,
        deadlineAt: deadlineFor(built.mediaKind, new Date()),
        batchId: input.batch?.id ?? null,
        batchCell: input.batch?.cell ?? null,
      });
      await enqueue(tx, { queue: GENERATION_QUEUE, key: `generation:${row.id}`, groupKey: workspaceId, payload: { generationId: row.id } });
      await recordAudit(
        {
          action: "generation.submitted",
          workspaceId,
          ...actor,
          targetType: "generation",
          targetId: row.id,
          details: {
            tool: run.tool,
            credits,
            ...(input.retryOfId ? { retryOf: input.retryOfId } : {}),
            ...(input.variationOf ? { variationOf: input.variationOf.id } : {}),
            ...(input.batch ? { batch: input.batch.id } : {}),
          },
        },
        tx,
      );
      return row;
    });
    return { generationId: generation.id, status: generation.status, deduplicated: false };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await existingByKey(workspaceId, input.idempotencyKey);
      if (winner) return winner;
    }
    throw error;
  }
}

export async function submitGeneration(
  viewer: Viewer,
  input: { idempotencyKey: string; boardId: string | null; run: GenerationRequest },
): Promise<SubmitResultDTO> {
  requirePermission(viewer, "generation:create");
  return createGeneration(viewer, input);
}

export async function retryGeneration(viewer: Viewer, generationId: string, idempotencyKey: string): Promise<SubmitResultDTO> {
  requirePermission(viewer, "generation:create");
  // The original stays failed, so a repeated retry request reaches createGeneration and gets the same run back.
  const original = await findRecordedRun(viewer.workspaceId, generationId);
  if (!original) {
    reportForeignIds(viewer, "generation", [generationId], "retryGeneration");
    throw new NotFoundError("That generation");
  }
  if (original.status !== "FAILED" && original.status !== "REFUSED") {
    throw new UserError("Only failed or refused runs can be retried.", "conflict");
  }
  return createGeneration(viewer, {
    idempotencyKey,
    boardId: original.boardId,
    run: { tool: original.tool, params: original.params } as GenerationRequest,
    retryOfId: original.id,
  });
}

/**
 * Vary: the same run again with everything equal but the seed, which is chosen anew (never the original's; a run
 * recorded without one gets one too). A tool without a seed runs again as it was (its provider draws its own
 * randomness). Otherwise a run like any other: its own idempotency key, and the fair-use limits, the balance and
 * the member's budget apply as for a submit.
 */
export async function varyGeneration(viewer: Viewer, generationId: string, idempotencyKey: string): Promise<SubmitResultDTO> {
  requirePermission(viewer, "generation:create");
  const original = await recordedRun(viewer, generationId, "varyGeneration");
  return createGeneration(viewer, {
    idempotencyKey,
    boardId: original.boardId,
    run: withRandomSeed(original.run),
    variationOf: { id: original.id, seed: seedOf(original.tool, original.params) },
  });
}

/**
 * One cell of a batch, submitted by the batch's job for its author: the same path as a submit (fair use, balance,
 * budget, one transaction with its job), with a key derived from the batch and the cell, so a job run again after a
 * crash finds the run it recorded instead of submitting the cell twice.
 */
export async function submitBatchCell(
  viewer: Viewer,
  input: { batchId: string; cell: number; boardId: string | null; run: GenerationRequest },
): Promise<SubmitResultDTO> {
  requirePermission(viewer, "generation:create");
  return createGeneration(viewer, {
    idempotencyKey: batchCellKey(input.batchId, input.cell),
    boardId: input.boardId,
    run: input.run,
    batch: { id: input.batchId, cell: input.cell },
  });
}

/** The idempotency key of a batch's cell: the same cell of the same batch is the same run. */
export const batchCellKey = (batchId: string, cell: number) => `batch:${batchId}:${cell}`;
