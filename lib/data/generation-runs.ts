import "server-only";
import { db } from "@/lib/db";
import type { Generation, Prisma } from "@/lib/generated/prisma/client";
import type { ChargeBasis, GenerationStatus, MediaKind, MediaStatus } from "@/lib/generated/prisma/enums";

/**
 * A run's lifecycle writes: the worker's and the cancel's transitions of a Generation and of its Media rows
 * (lib/generations/worker.ts tells the state machine, lib/generations/cancel.ts the cancel).
 *
 * Every transition is a conditional update on the status the caller expects, and answers whether it moved anything:
 * these WHERE clauses are the exactly-once guarantees (a create is claimed, hence sent, once; a cancel and the worker
 * race safely; a stale run cannot move a generation back). Change none of them without reading those two headers.
 * A final transition settles the run's charge in its own transaction (`settleCharge`).
 */

/** A transaction's client, handed to the domain's own writes that must commit with a transition (a job, an audit entry, a budget check). */
export type RunTransaction = Prisma.TransactionClient;

// ---------------------------------------------------------------------------------------------------------------
// Reads

/** The run a job works on, whole (the state machine reads most of it), or null if it is gone. */
export function getRunForJob(generationId: string): Promise<Generation | null> {
  return db.generation.findUnique({ where: { id: generationId } });
}

/** The provider generation ids a workspace's runs already track, so reconciliation never adopts one twice. */
export async function listTrackedProviderGenerationIds(workspaceId: string): Promise<string[]> {
  const rows = await db.generation.findMany({
    where: { workspaceId, providerGenerationId: { not: null } },
    select: { providerGenerationId: true },
  });
  return rows.map((row) => row.providerGenerationId as string);
}

/** A run's outputs still waiting for the provider, in the order they were asked for. */
export function listPendingOutputs(generationId: string) {
  return db.media.findMany({ where: { generationId, status: "PENDING" }, orderBy: { position: "asc" } });
}

/** The status of every output of a run. */
export async function listOutputStatuses(generationId: string): Promise<MediaStatus[]> {
  const rows = await db.media.findMany({ where: { generationId }, select: { status: true } });
  return rows.map((row) => row.status);
}

/** How many outputs a run has, and how many of them are still pending. */
export async function countOutputs(generationId: string): Promise<{ pending: number; total: number }> {
  const pending = await db.media.count({ where: { generationId, status: "PENDING" } });
  const total = await db.media.count({ where: { generationId } });
  return { pending, total };
}

/** One output's status, or null when its row is gone (dropped by a cancel). */
export async function getOutputStatus(mediaId: string): Promise<MediaStatus | null> {
  const row = await db.media.findUnique({ where: { id: mediaId }, select: { status: true } });
  return row?.status ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Charges

/**
 * Settles the charge of a run that has become final without one (the rules: lib/generations/charges.ts), from what
 * its row says happened. Touches nothing else and nothing already settled; run it in the transaction of the final
 * transition.
 */
export function settleCharge(client: Pick<Prisma.TransactionClient, "$executeRaw">, generationId: string) {
  return client.$executeRaw`
    UPDATE "Generation" SET
      "chargeBasis" = (CASE
        WHEN "sentAt" IS NULL THEN 'NOT_SENT'
        WHEN "providerGenerationId" IS NOT NULL AND "estimatedCredits" IS NOT NULL THEN 'ESTIMATE'
        WHEN "providerGenerationId" IS NOT NULL OR "providerTaskId" IS NOT NULL THEN 'UNKNOWN'
        WHEN "errorCause" IN ('unknown_outcome', 'internal') THEN 'UNKNOWN'
        ELSE 'NOT_ACCEPTED' END)::"ChargeBasis",
      "chargedCredits" = (CASE
        WHEN "sentAt" IS NULL THEN 0
        WHEN "providerGenerationId" IS NOT NULL AND "estimatedCredits" IS NOT NULL THEN "estimatedCredits"
        WHEN "providerGenerationId" IS NOT NULL OR "providerTaskId" IS NOT NULL THEN NULL
        WHEN "errorCause" IN ('unknown_outcome', 'internal') THEN NULL
        ELSE 0 END)
    WHERE "id" = ${generationId} AND "chargeBasis" IS NULL
      AND "status" IN ('SUCCEEDED', 'FAILED', 'REFUSED', 'CANCELLED')`;
}

// ---------------------------------------------------------------------------------------------------------------
// PREPARING → QUEUED

/** Fails a run still PREPARING (a cancel may have ended it meanwhile); nothing was sent, so it is settled not charged. */
export async function failPreparingRun(generationId: string, cause: string, message: string): Promise<void> {
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generationId, status: "PREPARING" },
      data: { status: "FAILED", errorCause: cause, errorMessage: message, finishedAt: new Date() },
    }),
    settleCharge(db, generationId),
  ]);
}

/**
 * PREPARING → QUEUED with its built request and price, after `beforeQueuing` (the budget check, which must hold its
 * lock until this commits) in the same transaction. False when the run had moved meanwhile (left alone).
 */
export function queuePreparedRun(
  generationId: string,
  prepared: { request: object; estimatedCredits: number | null },
  beforeQueuing: (tx: RunTransaction) => Promise<void>,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await beforeQueuing(tx);
    const moved = await tx.generation.updateMany({
      where: { id: generationId, status: "PREPARING" },
      data: { status: "QUEUED", request: prepared.request, estimatedCredits: prepared.estimatedCredits },
    });
    return moved.count > 0;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// QUEUED → SUBMITTING → RUNNING | RECONCILING | QUEUED

/**
 * The point of no return: QUEUED → SUBMITTING with what is about to be sent, committed before anything is. Only a run
 * still QUEUED and not asked to be cancelled is claimed, so a create is sent at most once and never after a cancel.
 */
export async function claimRunForCreate(
  generationId: string,
  claim: { sentAt: Date; request: object; deadlineAt: Date; params?: object | undefined },
): Promise<boolean> {
  const claimed = await db.generation.updateMany({
    where: { id: generationId, status: "QUEUED", cancelRequestedAt: null },
    data: {
      status: "SUBMITTING",
      sentAt: claim.sentAt,
      request: claim.request,
      deadlineAt: claim.deadlineAt,
      ...(claim.params ? { params: claim.params } : {}),
    },
  });
  return claimed.count > 0;
}

/** SUBMITTING → QUEUED: the create certainly did nothing, so the run may be sent again. */
export async function returnRunToQueue(generationId: string): Promise<void> {
  await db.generation.updateMany({ where: { id: generationId, status: "SUBMITTING" }, data: { status: "QUEUED", sentAt: null } });
}

/** SUBMITTING → RECONCILING: the create's answer was lost, so the provider's feed must tell whether it ran. */
export async function markRunReconciling(generationId: string): Promise<void> {
  await db.generation.updateMany({ where: { id: generationId, status: "SUBMITTING" }, data: { status: "RECONCILING" } });
}

/** What each gallery item repeats from its run, so every gallery filter is one index scan (see prisma/schema.prisma). */
const galleryFieldsOf = (generation: Generation) => ({
  workspaceId: generation.workspaceId,
  generationId: generation.id,
  tool: generation.tool,
  modelLabel: generation.modelLabel,
  prompt: generation.prompt,
  createdById: generation.createdById,
  boardId: generation.boardId,
});

/**
 * SUBMITTING | RECONCILING → RUNNING for a RenderNet generation, with its charge when the create's answer is being
 * recorded, and one PENDING output per media item. Also adds the rows of a RUNNING run whose create listed none (the
 * transition then moves nothing; rows already there are kept).
 */
export async function markRenderNetRunRunning(
  generation: Generation,
  accepted: {
    providerGenerationId: string;
    kind: MediaKind;
    providerMediaIds: string[];
    charge: { chargedCredits?: number | null; chargeBasis?: ChargeBasis };
  },
): Promise<void> {
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generation.id, status: { in: ["SUBMITTING", "RECONCILING"] } },
      data: { status: "RUNNING", providerGenerationId: accepted.providerGenerationId, startedAt: new Date(), ...accepted.charge },
    }),
    db.media.createMany({
      data: accepted.providerMediaIds.map((providerMediaId, position) => ({
        ...galleryFieldsOf(generation),
        position,
        kind: accepted.kind,
        providerMediaId,
      })),
      skipDuplicates: true,
    }),
  ]);
}

/** SUBMITTING → RUNNING for a Qolaba task, with one PENDING image per slot asked for. */
export async function markQolabaRunRunning(generation: Generation, accepted: { providerTaskId: string | null; outputs: number }): Promise<void> {
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generation.id, status: "SUBMITTING" },
      data: { status: "RUNNING", providerTaskId: accepted.providerTaskId, startedAt: new Date() },
    }),
    db.media.createMany({
      data: Array.from({ length: accepted.outputs }, (_, position) => ({
        ...galleryFieldsOf(generation),
        position,
        kind: "IMAGE" as const,
      })),
      skipDuplicates: true,
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs

/** One output's final status from the provider (failed, refused), if it is still pending. */
export async function settleOutput(mediaId: string, status: MediaStatus): Promise<void> {
  await db.media.updateMany({ where: { id: mediaId, status: "PENDING" }, data: { status } });
}

/** Every output of a run still pending gets this status (a deadline passed, the provider refused the task). */
export async function settlePendingOutputs(generationId: string, status: MediaStatus): Promise<void> {
  await db.media.updateMany({ where: { generationId, status: "PENDING" }, data: { status } });
}

/** The stored copy of one output: PENDING → READY. False when the row was no longer pending (or gone). */
export async function markOutputReady(
  output: { mediaId: string; workspaceId: string },
  stored: {
    storageKey: string;
    thumbKey: string | null;
    mimeType: string;
    width: number | null;
    height: number | null;
    durationMs: number | null;
    bytes: number;
    checksum: string;
  },
): Promise<boolean> {
  const { count } = await db.media.updateMany({
    where: { id: output.mediaId, workspaceId: output.workspaceId, status: "PENDING" },
    data: { status: "READY", ...stored, readyAt: new Date() },
  });
  return count > 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Final transitions

/**
 * Ends a run that is in one of `from` as `status` (FAILED or REFUSED) with the reason, or, when it was asked to be
 * cancelled meanwhile, as CANCELLED with the reason kept; its pending outputs take `status`; its charge is settled.
 */
export async function failRun(
  generationId: string,
  from: GenerationStatus[],
  outcome: { status: "FAILED" | "REFUSED"; cause: string; message: string },
): Promise<void> {
  const finishedAt = new Date();
  const { status, cause, message } = outcome;
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generationId, status: { in: from }, cancelRequestedAt: null },
      data: { status, errorCause: cause, errorMessage: message, finishedAt },
    }),
    db.generation.updateMany({
      where: { id: generationId, status: { in: from }, cancelRequestedAt: { not: null } },
      data: { status: "CANCELLED", errorCause: cause, errorMessage: message, finishedAt },
    }),
    db.media.updateMany({ where: { generationId, status: "PENDING" }, data: { status } }),
    settleCharge(db, generationId),
  ]);
}

/** RUNNING → its final status (every output is final), with the charge settled. */
export async function finishRunningRun(
  generationId: string,
  outcome: { status: "SUCCEEDED" | "FAILED" | "REFUSED"; errorCause: string | null; errorMessage: string | null },
): Promise<void> {
  await db.$transaction([
    db.generation.updateMany({ where: { id: generationId, status: "RUNNING" }, data: { ...outcome, finishedAt: new Date() } }),
    settleCharge(db, generationId),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Cancelling

/** What a cancel decides on; read in the workspace, so another workspace's id is not found (null). */
export function findRunToCancel(workspaceId: string, generationId: string) {
  return db.generation.findFirst({
    where: { id: generationId, workspaceId },
    select: { id: true, status: true, tool: true, provider: true, createdById: true, cancelRequestedAt: true },
  });
}

/**
 * Records a cancel on a run still in `from` and not asked to be cancelled before: CANCELLED and settled not charged
 * when it was never sent (`notSent`), else `next` with `cancelRequestedAt`, the status left to the worker or the
 * cancel job. `alsoInTransaction` (the cancel job, the audit entry) commits with it, and runs only when the change was
 * made. False when the run had moved meanwhile: the caller reads it again.
 */
export function requestRunCancel(
  run: { id: string; workspaceId: string; from: GenerationStatus },
  change: { notSent: true; at: Date } | { notSent: false; next: GenerationStatus; at: Date },
  alsoInTransaction: (tx: RunTransaction) => Promise<void>,
): Promise<boolean> {
  const now = change.at;
  return db.$transaction(async (tx) => {
    const { count } = await tx.generation.updateMany({
      where: { id: run.id, workspaceId: run.workspaceId, status: run.from, cancelRequestedAt: null },
      data: change.notSent
        ? { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now, chargedCredits: 0, chargeBasis: "NOT_SENT" }
        : { status: change.next, cancelRequestedAt: now },
    });
    if (count === 0) return false;
    await alsoInTransaction(tx);
    return true;
  });
}

/** A run never sent (still in one of `notSent`): CANCELLED, not charged. False when it had moved on. */
export async function cancelRunNotSent(generationId: string, notSent: GenerationStatus[]): Promise<boolean> {
  const now = new Date();
  const { count } = await db.generation.updateMany({
    where: { id: generationId, status: { in: notSent } },
    data: { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now, chargedCredits: 0, chargeBasis: "NOT_SENT" },
  });
  return count > 0;
}

/** What the `generation.cancel` job needs of its run, or null if it is gone. */
export function getRunForCancelJob(generationId: string) {
  return db.generation.findUnique({
    where: { id: generationId },
    select: { id: true, workspaceId: true, status: true, provider: true, providerGenerationId: true, request: true, chargedCredits: true, cancelRequestedAt: true },
  });
}

/** RUNNING → CANCELLING: the worker stops polling it, the cancel job finishes it. */
export async function markRunCancelling(generationId: string): Promise<void> {
  await db.generation.updateMany({ where: { id: generationId, status: "RUNNING" }, data: { status: "CANCELLING" } });
}

/**
 * Ends a CANCELLING run: outputs still pending are dropped (a download racing this finds its row gone and discards
 * its file), the rest stay. If none was pending any more and one is READY, the run finished while being cancelled:
 * SUCCEEDED; else CANCELLED. `charge` records what the cancel learned of a refund; the charge is then settled.
 */
export async function finishCancellingRun(generationId: string, charge: { refundedCredits?: number; chargedCredits?: number }): Promise<void> {
  await db.$transaction(async (tx) => {
    const dropped = await tx.media.deleteMany({ where: { generationId, status: "PENDING" } });
    const ready = await tx.media.count({ where: { generationId, status: "READY" } });
    const finishedAnyway = dropped.count === 0 && ready > 0;
    await tx.generation.updateMany({
      where: { id: generationId, status: "CANCELLING" },
      data: { status: finishedAnyway ? "SUCCEEDED" : "CANCELLED", finishedAt: new Date(), ...charge },
    });
    await settleCharge(tx, generationId);
  });
}
