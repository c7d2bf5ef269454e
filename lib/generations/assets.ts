import "server-only";
import { recordAudit } from "@/lib/data/audit";
import { requirePermission, type Viewer } from "@/lib/authz";
import { insertAsset, toAssetDTO } from "@/lib/data/assets";
import { inTransaction } from "@/lib/data/transaction";
import type { AssetDTO } from "@/lib/generations/types";
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

/**
 * Stores one upload as an asset of the workspace. `upload` is a stream being received (the upload route) or a File;
 * it is checked while it arrives (lib/media/upload.ts) and its temporary file is gone when this returns.
 */
export async function createAsset(viewer: Viewer, upload: UploadSource | Blob): Promise<AssetDTO> {
  requirePermission(viewer, "generation:create");
  const source = upload instanceof Blob ? uploadSourceOf(upload) : upload;
  return withPreparedUpload(source, async (prepared) => {
    const id = crypto.randomUUID().replace(/-/g, "");
    const storageKey = storageKeys.asset(viewer.workspaceId, id, extensionForType(prepared.mimeType));
    const thumbKey = prepared.thumbnail ? storageKeys.assetThumb(viewer.workspaceId, id) : null;
    if (prepared.bytes) await storage().put(storageKey, prepared.bytes, { contentType: prepared.mimeType });
    else await storage().putFile(storageKey, prepared.file!, { contentType: prepared.mimeType });
    if (thumbKey && prepared.thumbnail) await storage().put(thumbKey, prepared.thumbnail, { contentType: "image/webp" });
    try {
      const row = await inTransaction(async (tx) => {
        const created = await insertAsset(tx, {
          id,
          workspaceId: viewer.workspaceId,
          createdById: viewer.userId,
          kind: prepared.kind,
          name: cleanName(source.name),
          storageKey,
          thumbKey,
          mimeType: prepared.mimeType,
          width: prepared.width,
          height: prepared.height,
          bytes: prepared.size,
          durationMs: prepared.durationMs,
          frameRate: prepared.frameRate,
          checksum: prepared.checksum,
        });
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
        return created;
      });
      return toAssetDTO(viewer.workspaceSlug, row);
    } catch (error) {
      await storage().delete(storageKey);
      if (thumbKey) await storage().delete(thumbKey);
      throw error;
    }
  }).catch((error: unknown) => {
    if (error instanceof ProbeError) throw new AssetRejectedError(error.message, error.status);
    throw error;
  });
}
