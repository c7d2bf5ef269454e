import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BatchState } from "@/lib/generated/prisma/enums";
import { requirePermission, type Viewer } from "@/lib/authz";
import { reportForeignIds } from "@/lib/data/denials";
import { mediaUrls } from "@/lib/data/media";
import { committedCredits } from "@/lib/data/spend";
import type { Tx } from "@/lib/data/transaction";
import { NotFoundError } from "@/lib/result";
import type { StoredBatchPlan } from "@/lib/validation/batches";

/**
 * Batches' rows (lib/generations/batches/ decides; this file reads and writes). Every read a member makes is scoped
 * to their workspace in its WHERE; the job's reads take the batch id alone, since the job is the batch's own.
 * State changes are conditional updates on the expected state, so a pause racing the job's own stop, or a cancel
 * racing a resume, leaves one answer, never a mix.
 */

/** Runs still able to be charged: queued, uploading, sent, being reconciled, running or being cancelled. */
const IN_FLIGHT = Prisma.sql`('PREPARING', 'QUEUED', 'SUBMITTING', 'RECONCILING', 'RUNNING', 'CANCELLING')`;

export type BatchRow = {
  id: string;
  workspaceId: string;
  createdById: string | null;
  name: string;
  plan: StoredBatchPlan;
  total: number;
  capCredits: number;
  state: BatchState;
  pauseReason: string | null;
  nextCell: number;
  resumedAt: Date;
  boardId: string | null;
  createdAt: Date;
};

const rowSelect = {
  id: true,
  workspaceId: true,
  createdById: true,
  name: true,
  plan: true,
  total: true,
  capCredits: true,
  state: true,
  pauseReason: true,
  nextCell: true,
  resumedAt: true,
  boardId: true,
  createdAt: true,
} as const;

const asRow = (row: Omit<BatchRow, "plan"> & { plan: unknown }): BatchRow => ({ ...row, plan: row.plan as StoredBatchPlan });

/**
 * A board name free in the workspace, from the batch's: "Batch · <name>", then "(2)", "(3)"… Read in the transaction
 * that creates it; a twin racing it for the same name fails on the unique index and is told so.
 */
async function freeBoardName(tx: Tx, workspaceId: string, name: string): Promise<string> {
  const stem = `Batch · ${name}`;
  const taken = new Set(
    (await tx.board.findMany({ where: { workspaceId, name: { startsWith: stem } }, select: { name: true } })).map((b) => b.name),
  );
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem} (${n})`)) return `${stem} (${n})`;
}

/** The batch and its board, in the caller's transaction (with its job and audit entry: lib/generations/batches/batches.ts). */
export async function insertBatch(
  tx: Tx,
  input: { workspaceId: string; createdById: string; name: string; plan: StoredBatchPlan; total: number; capCredits: number },
): Promise<{ id: string; boardId: string; boardName: string }> {
  const boardName = await freeBoardName(tx, input.workspaceId, input.name);
  const board = await tx.board.create({ data: { workspaceId: input.workspaceId, name: boardName, createdById: input.createdById }, select: { id: true } });
  const batch = await tx.batch.create({
    data: {
      workspaceId: input.workspaceId,
      createdById: input.createdById,
      name: input.name,
      plan: input.plan as unknown as Prisma.InputJsonValue,
      total: input.total,
      capCredits: input.capCredits,
      boardId: board.id,
    },
    select: { id: true },
  });
  return { id: batch.id, boardId: board.id, boardName };
}

/** For the batch's job: the batch as stored, or null when it is gone. */
export async function getBatchForJob(batchId: string): Promise<BatchRow | null> {
  const row = await db.batch.findUnique({ where: { id: batchId }, select: rowSelect });
  return row && asRow(row);
}

/** A member's batch in their workspace, locked for a state change (FOR UPDATE), or null (another workspace's reads as missing). */
export async function lockBatch(tx: Tx, workspaceId: string, batchId: string): Promise<BatchRow | null> {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Batch" WHERE id = ${batchId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
  if (!locked) return null;
  const row = await tx.batch.findFirst({ where: { id: batchId, workspaceId }, select: rowSelect });
  return row && asRow(row);
}

/** Moves a batch from one of `from` to `to`; false when it was no longer in one of them. */
export async function setBatchState(
  client: Tx | typeof db,
  batchId: string,
  from: BatchState[],
  to: { state: BatchState; pauseReason?: string | null; capCredits?: number; resumedAt?: Date },
): Promise<boolean> {
  const { count } = await client.batch.updateMany({
    where: { id: batchId, state: { in: from } },
    data: {
      state: to.state,
      pauseReason: to.pauseReason ?? null,
      ...(to.capCredits === undefined ? {} : { capCredits: to.capCredits }),
      ...(to.resumedAt === undefined ? {} : { resumedAt: to.resumedAt }),
    },
  });
  return count === 1;
}

/** Records that cells before `next` are submitted; conditional on the job's last known position, so it never goes back. */
export async function advanceBatch(batchId: string, from: number, next: number): Promise<boolean> {
  const { count } = await db.batch.updateMany({ where: { id: batchId, nextCell: from, state: "RUNNING" }, data: { nextCell: next } });
  return count === 1;
}

export type BatchTally = {
  submitted: number;
  inFlight: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Credits the batch's runs hold (charged, or estimated while unsettled): the budget's own rule (lib/data/spend.ts). */
  committed: number;
};

/** The batch's runs, counted: one pass over its runs (the `(batchId, batchCell)` index). */
export async function tallyBatch(batchId: string, client: Pick<Tx, "$queryRaw"> = db): Promise<BatchTally> {
  const [row] = await client.$queryRaw<{ submitted: number; inFlight: number; succeeded: number; failed: number; cancelled: number; committed: number }[]>`
    SELECT count(*)::int AS submitted,
           (count(*) FILTER (WHERE g."status" IN ${IN_FLIGHT}))::int AS "inFlight",
           (count(*) FILTER (WHERE g."status" = 'SUCCEEDED'))::int AS succeeded,
           (count(*) FILTER (WHERE g."status" IN ('FAILED', 'REFUSED')))::int AS failed,
           (count(*) FILTER (WHERE g."status" = 'CANCELLED'))::int AS cancelled,
           COALESCE(SUM(${committedCredits}), 0)::int AS committed
    FROM "Generation" g
    WHERE g."batchId" = ${batchId}`;
  return row ?? { submitted: 0, inFlight: 0, succeeded: 0, failed: 0, cancelled: 0, committed: 0 };
}

/** The batch's runs that failed with one of these causes since its last resume (`since`): errors that would repeat. */
export async function repeatingFailure(batchId: string, causes: readonly string[], since: Date): Promise<{ errorCause: string; errorMessage: string | null } | null> {
  return db.generation.findFirst({
    where: { batchId, status: "FAILED", errorCause: { in: [...causes] }, updatedAt: { gte: since } },
    orderBy: { updatedAt: "desc" },
    select: { errorCause: true, errorMessage: true },
  }) as Promise<{ errorCause: string; errorMessage: string | null } | null>;
}

/** The membership the batch's author holds now (their role may have changed since they started it), or null. */
export async function batchAuthorMembership(workspaceId: string, userId: string) {
  return db.membership.findFirst({
    where: { workspaceId, userId, user: { disabledAt: null } },
    select: { role: true, workspace: { select: { id: true, slug: true, name: true, personal: true } } },
  });
}

export type BatchCellDTO = {
  cell: number;
  generationId: string;
  status: string;
  error: string | null;
  media: { id: string; thumbUrl: string; width: number | null; height: number | null }[];
};

export type BatchDTO = {
  id: string;
  name: string;
  state: BatchState;
  pauseReason: string | null;
  total: number;
  capCredits: number;
  nextCell: number;
  createdAt: string;
  author: string | null;
  board: { id: string; name: string } | null;
  plan: StoredBatchPlan;
  tally: BatchTally;
  cells: BatchCellDTO[];
  /** May the viewer pause, resume or cancel it (its author, an admin or an owner). */
  canControl: boolean;
};

/** The batch page's read: the batch, its tally and every submitted cell with its results' thumbnails. */
export async function getBatch(viewer: Viewer, batchId: string): Promise<BatchDTO | null> {
  requirePermission(viewer, "workspace:read");
  const row = await db.batch.findFirst({
    where: { id: batchId, workspaceId: viewer.workspaceId },
    select: { ...rowSelect, createdBy: { select: { name: true, email: true } }, board: { select: { id: true, name: true } } },
  });
  if (!row) {
    reportForeignIds(viewer, "batch", [batchId], "getBatch");
    return null;
  }
  const [tally, runs] = await Promise.all([
    tallyBatch(row.id),
    db.generation.findMany({
      where: { batchId: row.id, workspaceId: viewer.workspaceId },
      orderBy: { batchCell: "asc" },
      select: {
        id: true,
        batchCell: true,
        status: true,
        errorMessage: true,
        media: {
          where: { deletedAt: null, status: "READY" },
          orderBy: { position: "asc" },
          select: { id: true, width: true, height: true },
        },
      },
    }),
  ]);
  const manager = viewer.role === "ADMIN" || viewer.role === "OWNER";
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    pauseReason: row.pauseReason,
    total: row.total,
    capCredits: row.capCredits,
    nextCell: row.nextCell,
    createdAt: row.createdAt.toISOString(),
    author: row.createdBy?.name ?? row.createdBy?.email ?? null,
    board: row.board,
    plan: row.plan as StoredBatchPlan,
    tally,
    cells: runs.map((run) => ({
      cell: run.batchCell ?? -1,
      generationId: run.id,
      status: run.status,
      error: run.errorMessage,
      media: run.media.map((m) => ({ id: m.id, thumbUrl: mediaUrls(viewer.workspaceSlug, m.id).thumbUrl, width: m.width, height: m.height })),
    })),
    canControl: viewer.role !== "VIEWER" && (manager || row.createdById === viewer.userId),
  };
}

export type BatchListItemDTO = { id: string; name: string; state: BatchState; total: number; nextCell: number; createdAt: string };

/** The workspace's newest batches (the Image tool's batch panel links them). */
export async function listBatches(viewer: Viewer, limit = 20): Promise<BatchListItemDTO[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.batch.findMany({
    where: { workspaceId: viewer.workspaceId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, name: true, state: true, total: true, nextCell: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** A batch of the workspace that the viewer may find, or NotFoundError (another workspace's reads as missing). */
export function batchNotFound(viewer: Viewer, batchId: string, what: string): never {
  reportForeignIds(viewer, "batch", [batchId], what);
  throw new NotFoundError("That batch");
}
