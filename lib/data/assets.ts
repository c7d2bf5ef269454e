import "server-only";
import { db } from "@/lib/db";
import { requirePermission, type Viewer } from "@/lib/authz";
import { reportForeignIds } from "@/lib/data/denials";
import { recordAudit } from "@/lib/data/audit";
import { PURGE_QUEUE, type PurgePayload } from "@/lib/data/trash";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AssetDTO, AssetLibraryPageDTO } from "@/lib/generations/types";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { enqueue } from "@/lib/data/job-queue";
import { NotFoundError } from "@/lib/result";
import { ASSET_PAGE_SIZE } from "@/lib/validation/assets";
import { decodeCursor, encodeCursor } from "@/lib/validation/cursor";
import type { Tx } from "@/lib/data/transaction";

/**
 * The asset library: the workspace's uploads, newest first, keyset-paginated on (createdAt, id) with the gallery's
 * opaque cursor (a tampered one reads as "from the start"), the pickers' recent list, recording and deleting one,
 * and the lookups behind inputs and downloads. Every query carries the workspace id, so another workspace's asset
 * id answers exactly like a missing one.
 */

type AssetRow = Prisma.AssetGetPayload<object>;

export function toAssetDTO(slug: string, asset: AssetRow): AssetDTO {
  const base = `/api/w/${encodeURIComponent(slug)}/assets/${encodeURIComponent(asset.id)}`;
  return {
    id: asset.id,
    kind: asset.kind,
    name: asset.name,
    mimeType: asset.mimeType,
    width: asset.width,
    height: asset.height,
    durationMs: asset.durationMs,
    frameRate: asset.frameRate,
    bytes: asset.bytes,
    thumbUrl: asset.thumbKey ? `${base}/thumb` : null,
    originalUrl: `${base}/original`,
    createdAt: asset.createdAt.toISOString(),
  };
}

/** The newest uploads, for the tools' pickers. */
export async function listAssets(viewer: Viewer, options: { kind?: MediaKind; limit: number }): Promise<AssetDTO[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.asset.findMany({
    where: { workspaceId: viewer.workspaceId, ...(options.kind ? { kind: options.kind } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(200, Math.floor(options.limit) || 50)),
  });
  return rows.map((row) => toAssetDTO(viewer.workspaceSlug, row));
}

export async function listAssetLibrary(
  viewer: Viewer,
  options: { kind?: MediaKind; cursor?: string | null; limit?: number } = {},
): Promise<AssetLibraryPageDTO> {
  requirePermission(viewer, "workspace:read");
  const size = Math.max(1, Math.min(100, Math.floor(options.limit ?? ASSET_PAGE_SIZE) || ASSET_PAGE_SIZE));
  const cursor = decodeCursor(options.cursor);
  const rows = await db.asset.findMany({
    where: {
      workspaceId: viewer.workspaceId,
      ...(options.kind ? { kind: options.kind } : {}),
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
    include: { createdBy: { select: { name: true, email: true } } },
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    items: page.map(({ createdBy, ...row }) => ({ ...toAssetDTO(viewer.workspaceSlug, row), createdBy: createdBy?.name ?? createdBy?.email ?? null })),
    nextCursor: rows.length > size && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}

/**
 * Deletes an upload: the row and its audit entry commit together with a purge job for the files (the gallery's
 * `media.purge`, idempotent), so a crash never leaves a row without files or files nobody can reach. Runs that used
 * the file keep their results; their lineage then says the input is gone. The provider's copy stays with the
 * provider account (RenderNet has no delete for assets) and is reused if the same bytes are uploaded again.
 */
export async function deleteAsset(viewer: Viewer, assetId: string): Promise<{ id: string; name: string }> {
  requirePermission(viewer, "asset:delete");
  const workspaceId = viewer.workspaceId;
  return db.$transaction(async (tx) => {
    const asset = await tx.asset.findFirst({
      where: { id: assetId, workspaceId },
      select: { id: true, name: true, kind: true, bytes: true, storageKey: true, thumbKey: true },
    });
    if (!asset) {
      reportForeignIds(viewer, "asset", [assetId], "deleteAsset");
      throw new NotFoundError("That file");
    }
    // Two deletes racing: only one removes the row; the other reads as already gone.
    const { count } = await tx.asset.deleteMany({ where: { id: asset.id, workspaceId } });
    if (count === 0) throw new NotFoundError("That file");
    await recordAudit(
      {
        action: "asset.deleted",
        workspaceId,
        actorId: viewer.userId,
        targetType: "asset",
        targetId: asset.id,
        details: { name: asset.name, kind: asset.kind.toLowerCase(), bytes: asset.bytes },
      },
      tx,
    );
    const payload: PurgePayload = {
      workspaceId,
      keys: [asset.storageKey, asset.thumbKey].filter((key): key is string => Boolean(key)),
      providerGenerations: [],
    };
    await enqueue(tx, { queue: PURGE_QUEUE, groupKey: payload.workspaceId, payload, maxAttempts: 20 });
    return { id: asset.id, name: asset.name };
  });
}

/**
 * A new upload's row, written in the caller's transaction (with its audit entry: lib/generations/assets.ts); null,
 * writing nothing, when the workspace already has an asset with its contentHash (the unique index decides, so two
 * identical uploads racing keep one row: ON CONFLICT DO NOTHING, which leaves the transaction usable).
 */
export async function insertAssetUnlessDuplicate(tx: Tx, data: Prisma.AssetCreateManyInput): Promise<AssetRow | null> {
  const [row] = await tx.asset.createManyAndReturn({ data: [data], skipDuplicates: true });
  return row ?? null;
}

/** The workspace's asset with these uploaded bytes (Asset.contentHash), if any. */
export function findAssetByContentHash(workspaceId: string, contentHash: string, client: Pick<Tx, "asset"> = db): Promise<AssetRow | null> {
  return client.asset.findUnique({ where: { workspaceId_contentHash: { workspaceId, contentHash } } });
}

/** An asset of the workspace, as a run's input; null when there is none. */
export function findAssetForInput(workspaceId: string, assetId: string): Promise<AssetRow | null> {
  return db.asset.findFirst({ where: { id: assetId, workspaceId } });
}

/** An asset's file keys and name, for its download routes (lib/media/files.ts). */
export function findAssetFile(workspaceId: string, assetId: string) {
  return db.asset.findFirst({ where: { id: assetId, workspaceId }, select: { storageKey: true, thumbKey: true, name: true } });
}
