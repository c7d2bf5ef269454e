import "server-only";
import { requirePermission, type Viewer } from "@/lib/authz";
import { reportIfShort } from "@/lib/data/denials";
import { deleteTrashed, moveToTrash, PURGE_QUEUE, restoreFromTrash, type PurgePayload } from "@/lib/data/trash";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { enqueue, type QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { isProviderError } from "@/lib/providers/http/errors";
import { NotFoundError, UserError } from "@/lib/result";
import { storage } from "@/lib/storage/storage";

/**
 * The trash. Deleting moves items to the trash (`deletedAt`), which can be undone; restoring brings them back.
 * Emptying deletes the rows at once (in batches, in transactions) and hands the files and the provider's copies to
 * a `media.purge` job, so a slow object store or provider never holds a request and a crash never loses the work:
 * the job is enqueued in the same transaction that deletes the rows, and is idempotent (a missing file or an
 * already-deleted generation is done). A RenderNet generation is deleted at the provider once none of its outputs
 * is left in Atelier (the API deletes whole generations only); Qolaba has no delete endpoint. Generation rows stay,
 * so usage and cost history keep their numbers.
 */

const BATCH = 500;

export async function trashMedia(viewer: Viewer, mediaIds: string[]): Promise<number> {
  requirePermission(viewer, "media:organize");
  const moved = await moveToTrash(viewer, mediaIds);
  reportIfShort(viewer, "media", mediaIds, moved, "trashMedia");
  if (moved === 0) throw new NotFoundError(mediaIds.length === 1 ? "That item" : "Those items");
  return moved;
}

export async function restoreMedia(viewer: Viewer, mediaIds: string[]): Promise<number> {
  requirePermission(viewer, "media:organize");
  const restored = await restoreFromTrash(viewer, mediaIds);
  reportIfShort(viewer, "media", mediaIds, restored, "restoreMedia");
  if (restored === 0) throw new NotFoundError(mediaIds.length === 1 ? "That item" : "Those items");
  return restored;
}

/**
 * Deletes trashed items for good (the given ones, or the whole trash), in batches; each batch's files and provider
 * copies go to a purge job enqueued in the batch's transaction. Returns how many went.
 */
export async function emptyTrash(viewer: Viewer, mediaIds?: string[]): Promise<number> {
  requirePermission(viewer, "trash:empty");
  const workspaceId = viewer.workspaceId;
  const total = await deleteTrashed(viewer, mediaIds, BATCH, async (tx, batch) => {
    const payload: PurgePayload = { workspaceId, ...batch };
    if (payload.keys.length || payload.providerGenerations.length) await enqueue(tx, { queue: PURGE_QUEUE, groupKey: workspaceId, payload, maxAttempts: 20 });
  });
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
