import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Viewer } from "@/lib/authz";
import { bulkTarget, recordAudit } from "@/lib/data/audit";

/**
 * The trash's writes (lib/gallery/trash.ts holds the rules: permissions, refusals, the purge job). Each change and
 * its audit entry commit in one transaction.
 */

/** What emptying one batch leaves to delete outside the database: files, and RenderNet generations with no output left. */
export type PurgeBatch = {
  keys: string[];
  /** RenderNet generation ids, with the connection that created them. */
  providerGenerations: { id: string; connectionId: string | null }[];
};

/**
 * The job that deletes what rows leave behind (lib/gallery/trash.ts runs it). Named here, with its payload, because
 * the data layer's deletions (the trash, assets) enqueue it in their transactions.
 */
export const PURGE_QUEUE = "media.purge";
export type PurgePayload = PurgeBatch & { workspaceId: string };

/** Moves the viewer's workspace's items (not already there) to the trash; returns how many moved. */
export async function moveToTrash(viewer: Viewer, mediaIds: string[]): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.media.updateManyAndReturn({
      where: { id: { in: mediaIds }, workspaceId: viewer.workspaceId, deletedAt: null },
      data: { deletedAt: new Date(), deletedById: viewer.userId },
      select: { id: true },
    });
    if (rows.length) await recordAudit({ action: "media.trashed", workspaceId: viewer.workspaceId, actorId: viewer.userId, ...bulkTarget("media", rows.map((row) => row.id)) }, tx);
    return rows.length;
  });
}

/** Brings the viewer's workspace's trashed items back; returns how many came back. */
export async function restoreFromTrash(viewer: Viewer, mediaIds: string[]): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.media.updateManyAndReturn({
      where: { id: { in: mediaIds }, workspaceId: viewer.workspaceId, deletedAt: { not: null } },
      data: { deletedAt: null, deletedById: null },
      select: { id: true },
    });
    if (rows.length) await recordAudit({ action: "media.restored", workspaceId: viewer.workspaceId, actorId: viewer.userId, ...bulkTarget("media", rows.map((row) => row.id)) }, tx);
    return rows.length;
  });
}

/**
 * Deletes trashed items for good (the given ones, or the whole trash), `batchSize` rows per transaction. Each batch's
 * leftovers go to `schedulePurge` inside that batch's transaction (the caller enqueues a job there, so rows and work
 * commit together). One audit entry per call, written in the transaction of the last batch, so it commits with the
 * end of the work it describes. Returns how many went.
 */
export async function deleteTrashed(
  viewer: Viewer,
  mediaIds: string[] | undefined,
  batchSize: number,
  schedulePurge: (tx: Prisma.TransactionClient, batch: PurgeBatch) => Promise<void>,
): Promise<number> {
  const workspaceId = viewer.workspaceId;
  let total = 0;
  // The ids of a chosen emptying, for its entry (at most BULK_MAX were chosen); a whole trash records its count.
  const deleted: string[] = [];
  for (;;) {
    const removed = await db.$transaction(async (tx) => {
      const rows = await tx.media.findMany({
        where: { workspaceId, deletedAt: { not: null }, ...(mediaIds ? { id: { in: mediaIds } } : {}) },
        select: { id: true, generationId: true, storageKey: true, thumbKey: true },
        orderBy: { id: "asc" },
        take: batchSize,
      });
      if (rows.length > 0) {
        await tx.media.deleteMany({ where: { id: { in: rows.map((r) => r.id) }, workspaceId } });
        const generationIds = [...new Set(rows.map((r) => r.generationId))];
        const orphaned = await tx.generation.findMany({
          where: { id: { in: generationIds }, workspaceId, provider: "RENDERNET", providerGenerationId: { not: null }, media: { none: {} } },
          select: { providerGenerationId: true, request: true },
        });
        await schedulePurge(tx, {
          keys: rows.flatMap((r) => [r.storageKey, r.thumbKey]).filter((key): key is string => Boolean(key)),
          providerGenerations: orphaned.map((g) => ({
            id: g.providerGenerationId!,
            connectionId: typeof (g.request as { connectionId?: unknown } | null)?.connectionId === "string" ? (g.request as { connectionId: string }).connectionId : null,
          })),
        });
        if (mediaIds) deleted.push(...rows.map((r) => r.id));
      }
      const items = total + rows.length;
      if (rows.length < batchSize && items > 0) {
        const chosen = mediaIds ? bulkTarget("media", deleted) : null;
        await recordAudit(
          {
            action: "trash.emptied",
            workspaceId,
            actorId: viewer.userId,
            targetType: chosen?.targetType ?? null,
            targetId: chosen?.targetId ?? null,
            details: { ...chosen?.details, items, scope: mediaIds ? "selected" : "all" },
          },
          tx,
        );
      }
      return rows.length;
    });
    total += removed;
    if (removed < batchSize) break;
  }
  return total;
}
