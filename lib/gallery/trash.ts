import "server-only";
import { db } from "@/lib/db";
import { reportIfShort } from "@/lib/audit/denials";
import { bulkTarget, recordAudit } from "@/lib/audit/log";
import { requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { enqueue, type QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { isProviderError } from "@/lib/providers/http/errors";
import { NotFoundError, UserError } from "@/lib/result";
import { storage } from "@/lib/storage/storage";
import { PURGE_QUEUE, type PurgePayload } from "@/lib/gallery/types";

/**
 * The trash. Deleting moves items to the trash (`deletedAt`), which can be undone; restoring brings them back.
 * Emptying deletes the rows at once (in batches, in transactions) and hands the files and the provider's copies to
 * a `media.purge` job, so a slow object store or provider never holds a request and a crash never loses the work:
 * the job is enqueued in the same transaction that deletes the rows, and is idempotent (a missing file or an
 * already-deleted generation is done). A RenderNet generation is deleted at the provider once none of its outputs
 * is left in Atelier (the API deletes whole generations only); Qolaba has no delete endpoint. Generation rows stay,
 * so usage and cost history keep their numbers.
 */

export { PURGE_QUEUE, type PurgePayload } from "@/lib/gallery/types";
const BATCH = 500;

export async function trashMedia(viewer: Viewer, mediaIds: string[]): Promise<number> {
  requirePermission(viewer, "media:organize");
  const moved = await db.$transaction(async (tx) => {
    const rows = await tx.media.updateManyAndReturn({
      where: { id: { in: mediaIds }, workspaceId: viewer.workspaceId, deletedAt: null },
      data: { deletedAt: new Date(), deletedById: viewer.userId },
      select: { id: true },
    });
    if (rows.length) await recordAudit({ action: "media.trashed", workspaceId: viewer.workspaceId, actorId: viewer.userId, ...bulkTarget("media", rows.map((row) => row.id)) }, tx);
    return rows.length;
  });
  reportIfShort(viewer, "media", mediaIds, moved, "trashMedia");
  if (moved === 0) throw new NotFoundError(mediaIds.length === 1 ? "That item" : "Those items");
  return moved;
}

export async function restoreMedia(viewer: Viewer, mediaIds: string[]): Promise<number> {
  requirePermission(viewer, "media:organize");
  const restored = await db.$transaction(async (tx) => {
    const rows = await tx.media.updateManyAndReturn({
      where: { id: { in: mediaIds }, workspaceId: viewer.workspaceId, deletedAt: { not: null } },
      data: { deletedAt: null, deletedById: null },
      select: { id: true },
    });
    if (rows.length) await recordAudit({ action: "media.restored", workspaceId: viewer.workspaceId, actorId: viewer.userId, ...bulkTarget("media", rows.map((row) => row.id)) }, tx);
    return rows.length;
  });
  reportIfShort(viewer, "media", mediaIds, restored, "restoreMedia");
  if (restored === 0) throw new NotFoundError(mediaIds.length === 1 ? "That item" : "Those items");
  return restored;
}

/**
 * Deletes trashed items for good (the given ones, or the whole trash). Returns how many went. One audit entry per
 * call, written in the transaction of the last batch, so it commits with the end of the work it describes.
 */
export async function emptyTrash(viewer: Viewer, mediaIds?: string[]): Promise<number> {
  requirePermission(viewer, "trash:empty");
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
        take: BATCH,
      });
      if (rows.length > 0) {
        await tx.media.deleteMany({ where: { id: { in: rows.map((r) => r.id) }, workspaceId } });
        const generationIds = [...new Set(rows.map((r) => r.generationId))];
        const orphaned = await tx.generation.findMany({
          where: { id: { in: generationIds }, workspaceId, provider: "RENDERNET", providerGenerationId: { not: null }, media: { none: {} } },
          select: { providerGenerationId: true, request: true },
        });
        const payload: PurgePayload = {
          workspaceId,
          keys: rows.flatMap((r) => [r.storageKey, r.thumbKey]).filter((key): key is string => Boolean(key)),
          providerGenerations: orphaned.map((g) => ({
            id: g.providerGenerationId!,
            connectionId: typeof (g.request as { connectionId?: unknown } | null)?.connectionId === "string" ? (g.request as { connectionId: string }).connectionId : null,
          })),
        };
        if (payload.keys.length || payload.providerGenerations.length) await enqueue(tx, { queue: PURGE_QUEUE, groupKey: payload.workspaceId, payload, maxAttempts: 20 });
        if (mediaIds) deleted.push(...rows.map((r) => r.id));
      }
      const items = total + rows.length;
      if (rows.length < BATCH && items > 0) {
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
    if (removed < BATCH) break;
  }
  if (mediaIds) reportIfShort(viewer, "media", mediaIds, total, "emptyTrash");
  if (total === 0 && mediaIds) throw new NotFoundError(mediaIds.length === 1 ? "That item" : "Those items");
  logger.info("gallery: trash emptied", { workspaceId, items: total, by: viewer.userId });
  return total;
}

/** Runs a purge job: deletes the files, then the provider's copies. Safe to run again. */
export async function runPurge(payload: PurgePayload): Promise<void> {
  for (const key of payload.keys) await storage().delete(key);
  if (payload.providerGenerations.length === 0) return;
  const connection = await getWorkspaceConnection(payload.workspaceId);
  for (const generation of payload.providerGenerations) {
    // A copy made with another key lives in an account this workspace no longer reaches.
    if (generation.connectionId && generation.connectionId !== connection.connectionId) continue;
    try {
      await connection.rendernet.deleteGeneration(generation.id);
    } catch (error) {
      if (isProviderError(error) && (error.cause === "not_found" || error.cause === "invalid_key")) continue;
      // No usable connection any more (not connected, or a key this server can't open): the copies are out of reach.
      if (error instanceof UserError) continue;
      throw error;
    }
  }
}

export const purgeQueue: QueueDefinition<PurgePayload> = {
  async handle(payload) {
    await runPurge(payload);
    return { done: true };
  },
  async onDead(payload, error) {
    logger.error("gallery: purge given up", { workspaceId: payload.workspaceId, keys: payload.keys.length, error: (error as Error)?.message });
  },
};
