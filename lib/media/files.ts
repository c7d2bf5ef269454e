import "server-only";
import { reportForeignIds, reportIfShort } from "@/lib/data/denials";
import { requirePermission, type Viewer } from "@/lib/authz";
import { findAssetFile } from "@/lib/data/assets";
import { findReadyMediaFile, findReadyMediaFiles } from "@/lib/data/media";
import { downloadName } from "@/lib/gallery/filenames";

/**
 * Storage keys of a workspace's files, for the download routes, with the name a download gets: null for another
 * workspace's ids (→ 404; recorded in the owning workspace's audit log, in the background).
 */
export async function mediaFile(viewer: Viewer, mediaId: string, variant: "thumb" | "original"): Promise<{ key: string; name: string } | null> {
  requirePermission(viewer, "media:download");
  const media = await findReadyMediaFile(viewer.workspaceId, mediaId);
  if (!media) reportForeignIds(viewer, "media", [mediaId], `media file (${variant})`);
  const key = variant === "thumb" ? media?.thumbKey : media?.storageKey;
  return media && key ? { key, name: downloadName(media) } : null;
}

/** The files of a zip download: READY items of this workspace among the ids, in the order given. */
export async function mediaFilesForZip(viewer: Viewer, mediaIds: string[]) {
  requirePermission(viewer, "media:download");
  const rows = await findReadyMediaFiles(viewer.workspaceId, mediaIds);
  reportIfShort(viewer, "media", mediaIds, rows.length, "zip download");
  const order = new Map(mediaIds.map((id, index) => [id, index]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map((row) => ({ ...row, storageKey: row.storageKey!, name: downloadName(row) }));
}

export async function assetFileKey(viewer: Viewer, assetId: string, variant: "thumb" | "original"): Promise<{ key: string; name: string } | null> {
  requirePermission(viewer, "media:download");
  const asset = await findAssetFile(viewer.workspaceId, assetId);
  if (!asset) reportForeignIds(viewer, "asset", [assetId], `asset file (${variant})`);
  const key = variant === "thumb" ? asset?.thumbKey : asset?.storageKey;
  return asset && key ? { key, name: asset.name } : null;
}
