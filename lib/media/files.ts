import "server-only";
import { db } from "@/lib/db";
import { requirePermission, type Viewer } from "@/lib/authz";

/** Storage keys of a workspace's files, for the download routes: null for another workspace's ids (→ 404). */
export async function mediaFileKey(viewer: Viewer, mediaId: string, variant: "thumb" | "original"): Promise<string | null> {
  requirePermission(viewer, "media:download");
  const media = await db.media.findFirst({
    where: { id: mediaId, workspaceId: viewer.workspaceId, status: "READY" },
    select: { storageKey: true, thumbKey: true },
  });
  return (variant === "thumb" ? media?.thumbKey : media?.storageKey) ?? null;
}

export async function assetFileKey(viewer: Viewer, assetId: string, variant: "thumb" | "original"): Promise<{ key: string; name: string } | null> {
  requirePermission(viewer, "media:download");
  const asset = await db.asset.findFirst({ where: { id: assetId, workspaceId: viewer.workspaceId }, select: { storageKey: true, thumbKey: true, name: true } });
  const key = variant === "thumb" ? asset?.thumbKey : asset?.storageKey;
  return asset && key ? { key, name: asset.name } : null;
}
