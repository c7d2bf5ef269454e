import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { reportForeignIds } from "@/lib/data/denials";
import { can, requirePermission, type Viewer } from "@/lib/authz";
import { mediaSelect, toMediaDTO } from "@/lib/data/media";
import type { Tx } from "@/lib/data/transaction";
import { seedOf } from "@/lib/generations/seeds";
import type { ChargeDTO, GenerationStatusDTO, GenerationSummary } from "@/lib/generations/types";
import type { ToolId } from "@/lib/validation/generations";
import { expectedOutputs } from "@/lib/validation/run-outputs";

/**
 * Generation rows as the studio reads and records them: the recent runs with their outputs (GenerationSummary),
 * a run's recorded settings, and the submit's lookups and insert (lib/generations/submit.ts decides; this writes).
 * Every query carries the workspace id, so another workspace's run answers exactly like a missing one.
 */

export function toChargeDTO(row: { chargedCredits: number | null; refundedCredits: number | null; chargeBasis: ChargeDTO["basis"] }): ChargeDTO {
  return { credits: row.chargedCredits, refunded: row.refundedCredits, basis: row.chargeBasis };
}

const UNFINISHED = ["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING", "CANCELLING"] as const;

export async function listRecentGenerations(viewer: Viewer, options: { limit: number; activeOnly?: boolean }): Promise<GenerationSummary[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.generation.findMany({
    where: {
      workspaceId: viewer.workspaceId,
      ...(options.activeOnly ? { status: { in: [...UNFINISHED] } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(100, Math.floor(options.limit) || 20)),
    select: {
      id: true,
      tool: true,
      status: true,
      prompt: true,
      modelLabel: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      estimatedCredits: true,
      chargedCredits: true,
      refundedCredits: true,
      chargeBasis: true,
      provider: true,
      cancelRequestedAt: true,
      createdById: true,
      errorMessage: true,
      params: true,
      createdBy: { select: { name: true, email: true } },
      media: { orderBy: { position: "asc" }, select: mediaSelect },
    },
  });
  const mayCancelAny = can(viewer.role, "generation:cancel_any");
  const mayCancel = can(viewer.role, "generation:create");
  // Failed runs that were retried already say so instead of offering Retry again.
  const failedIds = rows.filter((row) => row.status === "FAILED" || row.status === "REFUSED").map((row) => row.id);
  const retried = failedIds.length
    ? new Set(
        (await db.generation.findMany({ where: { workspaceId: viewer.workspaceId, retryOfId: { in: failedIds } }, select: { retryOfId: true } })).map(
          (row) => row.retryOfId,
        ),
      )
    : new Set<string | null>();
  return rows.map((row) => ({
    id: row.id,
    tool: row.tool,
    status: row.status,
    retried: retried.has(row.id),
    prompt: row.prompt,
    modelLabel: row.modelLabel,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    estimatedCredits: row.estimatedCredits,
    charge: toChargeDTO(row),
    provider: row.provider,
    createdBy: row.createdBy?.name ?? row.createdBy?.email ?? null,
    errorMessage: row.errorMessage,
    seed: seedOf(row.tool, row.params) ?? null,
    cancelRequested: row.cancelRequestedAt !== null,
    canCancel:
      mayCancel &&
      (mayCancelAny || row.createdById === viewer.userId) &&
      row.cancelRequestedAt === null &&
      (["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING"] as string[]).includes(row.status),
    expected: expectedOutputs(row.tool, row.params),
    media: row.media.map((media) => toMediaDTO(viewer.workspaceSlug, media)),
  }));
}

export async function getGenerationParams(viewer: Viewer, generationId: string): Promise<{ tool: ToolId; params: unknown } | null> {
  requirePermission(viewer, "workspace:read");
  const row = await db.generation.findFirst({ where: { id: generationId, workspaceId: viewer.workspaceId }, select: { tool: true, params: true } });
  if (!row) reportForeignIds(viewer, "generation", [generationId], "reuse settings");
  return row ? { tool: row.tool, params: row.params } : null;
}

/** The run recorded under this idempotency key in the workspace, if any. */
export function findGenerationByKey(workspaceId: string, idempotencyKey: string): Promise<{ id: string; status: GenerationStatusDTO } | null> {
  return db.generation.findFirst({ where: { workspaceId, idempotencyKey }, select: { id: true, status: true } });
}

/** A run of the workspace as it was recorded (to retry or vary it); null when there is none. */
export function findRecordedRun(workspaceId: string, generationId: string) {
  return db.generation.findFirst({
    where: { id: generationId, workspaceId },
    select: { id: true, tool: true, params: true, status: true, boardId: true },
  });
}

export type NewGeneration = {
  workspaceId: string;
  createdById: string;
  tool: ToolId;
  provider: "RENDERNET" | "QOLABA";
  status: "PREPARING" | "QUEUED";
  idempotencyKey: string;
  params: unknown;
  /** The provider request as built; null while inputs are still to upload (the job builds it again). */
  request: unknown;
  prompt: string | null;
  modelLabel: string | null;
  estimatedCredits: number | null;
  inputMediaId: string | null;
  boardId: string | null;
  retryOfId: string | null;
  deadlineAt: Date;
  /** A batch's run: the batch and its cell (lib/generations/batches/run.ts). */
  batchId?: string | null;
  batchCell?: number | null;
};

/** Writes a submitted run in the caller's transaction (with its job and audit entry: lib/generations/submit.ts). */
export function insertGeneration(tx: Tx, run: NewGeneration): Promise<{ id: string; status: GenerationStatusDTO }> {
  return tx.generation.create({
    data: {
      ...run,
      params: run.params as Prisma.InputJsonValue,
      request: run.request === null ? Prisma.DbNull : (run.request as Prisma.InputJsonValue),
    },
    select: { id: true, status: true },
  });
}
