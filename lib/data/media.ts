import "server-only";
import { db } from "@/lib/db";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { reportForeignIds } from "@/lib/data/denials";
import { requirePermission, type Viewer } from "@/lib/authz";
import type { MediaDTO } from "@/lib/generations/types";

/**
 * Gallery media (a run's outputs) as the studio reads them: DTOs with authenticated URLs, the recent list the tools'
 * pickers show, and the lookups behind inputs and downloads. Every query carries the workspace id, so another
 * workspace's id answers exactly like a missing one.
 */

export function mediaUrls(slug: string, mediaId: string) {
  const base = `/api/w/${encodeURIComponent(slug)}/media/${encodeURIComponent(mediaId)}`;
  return { thumbUrl: `${base}/thumb`, originalUrl: `${base}/original` };
}

type MediaRow = {
  id: string;
  kind: MediaKind;
  status: "PENDING" | "READY" | "FAILED" | "REFUSED";
  width: number | null;
  height: number | null;
  durationMs: number | null;
  storageKey: string | null;
  thumbKey: string | null;
};

/** The columns toMediaDTO reads. */
export const mediaSelect = {
  id: true,
  kind: true,
  status: true,
  width: true,
  height: true,
  durationMs: true,
  storageKey: true,
  thumbKey: true,
} as const;

export function toMediaDTO(slug: string, media: MediaRow): MediaDTO {
  const urls = mediaUrls(slug, media.id);
  const ready = media.status === "READY";
  return {
    id: media.id,
    kind: media.kind,
    status: media.status,
    width: media.width,
    height: media.height,
    durationMs: media.durationMs,
    thumbUrl: ready && media.thumbKey ? urls.thumbUrl : null,
    originalUrl: ready && media.storageKey ? urls.originalUrl : null,
  };
}

/** A READY gallery item of this workspace (not in the trash) of the given kind, to open a tool with; else null. */
export async function getInputMedia(viewer: Viewer, mediaId: string, kind: MediaKind): Promise<{ id: string } | null> {
  requirePermission(viewer, "workspace:read");
  const media = await db.media.findFirst({ where: { id: mediaId, workspaceId: viewer.workspaceId, status: "READY", deletedAt: null, kind }, select: { id: true } });
  if (!media) reportForeignIds(viewer, "media", [mediaId], "use as input");
  return media;
}

export async function listRecentMedia(viewer: Viewer, options: { kind?: MediaKind; limit: number }): Promise<MediaDTO[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.media.findMany({
    where: { workspaceId: viewer.workspaceId, status: "READY", deletedAt: null, ...(options.kind ? { kind: options.kind } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(100, Math.floor(options.limit) || 24)),
    select: mediaSelect,
  });
  return rows.map((row) => toMediaDTO(viewer.workspaceSlug, row));
}

/** A READY item of the workspace, as a run's input, with what its generation tells of the provider's copy; else null. */
export function findReadyMediaForInput(workspaceId: string, mediaId: string) {
  return db.media.findFirst({
    where: { id: mediaId, workspaceId, status: "READY" },
    include: { generation: { select: { provider: true, request: true } } },
  });
}

/** A READY item's file keys and what its download name is made of (lib/media/files.ts). */
export function findReadyMediaFile(workspaceId: string, mediaId: string) {
  return db.media.findFirst({
    where: { id: mediaId, workspaceId, status: "READY" },
    select: { id: true, storageKey: true, thumbKey: true, prompt: true, tool: true, createdAt: true, mimeType: true },
  });
}

/** READY items of the workspace among `mediaIds` that have a file, in no particular order (lib/media/files.ts). */
export function findReadyMediaFiles(workspaceId: string, mediaIds: string[]) {
  return db.media.findMany({
    where: { id: { in: mediaIds }, workspaceId, status: "READY", storageKey: { not: null } },
    select: { id: true, storageKey: true, bytes: true, prompt: true, tool: true, modelLabel: true, createdAt: true, mimeType: true },
  });
}
