import "server-only";
import { recordAudit } from "@/lib/data/audit";
import { requirePermission, type Viewer } from "@/lib/authz";
import { findAssetByContentHash, insertAssetUnlessDuplicate, toAssetDTO } from "@/lib/data/assets";
import { inTransaction, type Tx } from "@/lib/data/transaction";
import type { UploadedAssetDTO } from "@/lib/generations/types";
import { ProbeError } from "@/lib/media/probe";
import { uploadSourceOf, withPreparedUpload, type UploadSource } from "@/lib/media/upload";
import { UserError } from "@/lib/result";
import { extensionForType, storageKeys } from "@/lib/storage/keys";
import { storage } from "@/lib/storage/storage";

/** Uploads into the workspace's asset library (the upload route and tests); listing and deleting are lib/data/assets.ts. */

/** An upload refused by its content or size; `status` is the HTTP status the API answers (413, 415 or 422). */
export class AssetRejectedError extends UserError {
  constructor(
    message: string,
    readonly status: 413 | 415 | 422,
  ) {
    super(message, "invalid_input");
    this.name = "AssetRejectedError";
  }
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return clean || "Untitled";
}

type AssetRow = NonNullable<Awaited<ReturnType<typeof findAssetByContentHash>>>;

/**
 * Stores one upload as an asset of the workspace. `upload` is a stream being received (the upload route) or a File;
 * it is checked while it arrives (lib/media/upload.ts) and its temporary file is gone when this returns.
 * The same bytes uploaded again in the workspace (Asset.contentHash, hashed as they arrived) are not stored twice:
 * the answer is the asset already there, `existing: true`, whatever the new file's name; two identical uploads
 * racing keep one row (the unique index) and the loser's files are removed. Either way the upload is in the audit
 * log ("asset.uploaded"; a recognised one names the asset it matched).
 */
export async function createAsset(viewer: Viewer, upload: UploadSource | Blob): Promise<UploadedAssetDTO> {
  requirePermission(viewer, "generation:create");
  const source = upload instanceof Blob ? uploadSourceOf(upload) : upload;
  const name = cleanName(source.name);
  const reused = async (row: AssetRow, tx?: Tx): Promise<UploadedAssetDTO> => {
    await recordAudit(
      {
        action: "asset.uploaded",
        workspaceId: viewer.workspaceId,
        actorId: viewer.userId,
        targetType: "asset",
        targetId: row.id,
        details: { name, kind: row.kind.toLowerCase(), bytes: row.bytes, sameAs: row.name },
      },
      tx,
    );
    return { ...toAssetDTO(viewer.workspaceSlug, row), existing: true };
  };
  const known = async (contentHash: string) => {
    const row = await findAssetByContentHash(viewer.workspaceId, contentHash);
    return row ? reused(row) : null;
  };
  return withPreparedUpload(
    source,
    async (prepared) => {
      const id = crypto.randomUUID().replace(/-/g, "");
      const storageKey = storageKeys.asset(viewer.workspaceId, id, extensionForType(prepared.mimeType));
      const thumbKey = prepared.thumbnail ? storageKeys.assetThumb(viewer.workspaceId, id) : null;
      const removeFiles = async () => {
        await storage().delete(storageKey);
        if (thumbKey) await storage().delete(thumbKey);
      };
      if (prepared.bytes) await storage().put(storageKey, prepared.bytes, { contentType: prepared.mimeType });
      else await storage().putFile(storageKey, prepared.file!, { contentType: prepared.mimeType });
      if (thumbKey && prepared.thumbnail) await storage().put(thumbKey, prepared.thumbnail, { contentType: "image/webp" });
      let answer: UploadedAssetDTO;
      try {
        answer = await inTransaction(async (tx) => {
          const created = await insertAssetUnlessDuplicate(tx, {
            id,
            workspaceId: viewer.workspaceId,
            createdById: viewer.userId,
            kind: prepared.kind,
            name,
            storageKey,
            thumbKey,
            mimeType: prepared.mimeType,
            width: prepared.width,
            height: prepared.height,
            bytes: prepared.size,
            durationMs: prepared.durationMs,
            frameRate: prepared.frameRate,
            checksum: prepared.checksum,
            contentHash: prepared.contentHash,
          });
          if (!created) {
            // The same bytes were stored by another upload since `known` looked: that one is kept.
            const winner = await findAssetByContentHash(viewer.workspaceId, prepared.contentHash, tx);
            if (!winner) throw new Error("asset: a duplicate upload's original is gone");
            return reused(winner, tx);
          }
          await recordAudit(
            {
              action: "asset.uploaded",
              workspaceId: viewer.workspaceId,
              actorId: viewer.userId,
              targetType: "asset",
              targetId: created.id,
              details: { name: created.name, kind: created.kind.toLowerCase(), bytes: created.bytes },
            },
            tx,
          );
          return { ...toAssetDTO(viewer.workspaceSlug, created), existing: false };
        });
      } catch (error) {
        await removeFiles();
        throw error;
      }
      if (answer.existing) await removeFiles();
      return answer;
    },
    { existing: known },
  ).catch((error: unknown) => {
    if (error instanceof ProbeError) throw new AssetRejectedError(error.message, error.status);
    throw error;
  });
}
