import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { reportForeignIds, reportIfShort } from "@/lib/data/denials";
import { bulkTarget, recordAudit } from "@/lib/data/audit";
import { requirePermission, type Viewer } from "@/lib/authz";
import { cursorAfter, decodeCursor, encodeCursor, galleryPageQuery, type GalleryRow } from "@/lib/data/gallery-query";
import type { CompareItemDTO, GalleryFacetsDTO, GalleryItemDTO, GalleryPageDTO, LineageInputDTO, MediaDetailDTO } from "@/lib/gallery/types";
import { mediaUrls } from "@/lib/data/media";
import { NotFoundError } from "@/lib/result";
import { GALLERY_PAGE_SIZE, MODEL_TOOLS, type GalleryFilters, type ModelToolId } from "@/lib/validation/gallery";
import type { ToolId } from "@/lib/validation/generations";

/**
 * The gallery's reads and its small writes (favourite, board). Every query is scoped by viewer.workspaceId, so
 * another workspace's id behaves exactly like a missing one (and is recorded in the owner's audit log, in the
 * background). Each write records one audit entry with its items, in its transaction. The trash lives in
 * lib/gallery/trash.ts.
 */

type ItemRow = Omit<GalleryRow, "tool"> & { tool: string };

export function toGalleryItem(slug: string, row: ItemRow): GalleryItemDTO {
  const urls = mediaUrls(slug, row.id);
  const ready = row.status === "READY";
  return {
    id: row.id,
    generationId: row.generationId,
    kind: row.kind,
    status: row.status,
    tool: row.tool as ToolId,
    modelLabel: row.modelLabel,
    prompt: row.prompt,
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    favorite: row.favorite,
    boardId: row.boardId,
    createdAt: row.createdAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
    thumbUrl: ready && row.thumbKey ? urls.thumbUrl : null,
    originalUrl: ready && row.storageKey ? urls.originalUrl : null,
  };
}

export async function listGallery(viewer: Viewer, filters: GalleryFilters, cursor: string | null, limit = GALLERY_PAGE_SIZE): Promise<GalleryPageDTO> {
  requirePermission(viewer, "workspace:read");
  const size = Math.max(1, Math.min(100, Math.floor(limit) || GALLERY_PAGE_SIZE));
  const rows = await db.$queryRaw<GalleryRow[]>(galleryPageQuery(viewer.workspaceId, filters, decodeCursor(cursor), size));
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    items: page.map((row) => toGalleryItem(viewer.workspaceSlug, row)),
    nextCursor: rows.length > size && last ? encodeCursor(cursorAfter(last, filters)) : null,
  };
}

/** The choices of the filter bar: members, the models and styles used so far (by tool), boards, and the trash's size. */
export async function getGalleryFacets(viewer: Viewer): Promise<GalleryFacetsDTO> {
  requirePermission(viewer, "workspace:read");
  const workspaceId = viewer.workspaceId;
  const [members, models, boards, trashCount] = await Promise.all([
    db.membership.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "asc" },
      select: { user: { select: { id: true, name: true, email: true } } },
    }),
    Promise.all(MODEL_TOOLS.map(async (tool) => ({ tool, labels: await modelLabelsOf(workspaceId, tool) }))),
    db.board.findMany({ where: { workspaceId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.media.count({ where: { workspaceId, deletedAt: { not: null } } }),
  ]);
  return {
    members: members.map(({ user }) => ({ id: user.id, name: user.name ?? user.email })),
    models: models.filter((group) => group.labels.length > 0),
    boards,
    trashCount,
  };
}

/**
 * The distinct model/style labels of one tool's items, by name, at most 300: a loose index scan over
 * ("workspaceId", "tool", "modelLabel"), one index probe per distinct label rather than a scan of every item.
 */
async function modelLabelsOf(workspaceId: string, tool: ModelToolId): Promise<string[]> {
  const rows = await db.$queryRaw<{ label: string }[]>`
    WITH RECURSIVE labels AS (
      (SELECT "modelLabel" AS label FROM "Media"
        WHERE "workspaceId" = ${workspaceId} AND "tool" = ${tool}::"Tool" AND "modelLabel" IS NOT NULL
        ORDER BY "modelLabel" LIMIT 1)
      UNION ALL
      SELECT (SELECT "modelLabel" FROM "Media"
        WHERE "workspaceId" = ${workspaceId} AND "tool" = ${tool}::"Tool" AND "modelLabel" > labels.label
        ORDER BY "modelLabel" LIMIT 1)
      FROM labels WHERE labels.label IS NOT NULL
    )
    SELECT label FROM labels WHERE label IS NOT NULL LIMIT 300`;
  return rows.map((row) => row.label);
}

const itemSelect = {
  id: true,
  generationId: true,
  kind: true,
  status: true,
  tool: true,
  modelLabel: true,
  prompt: true,
  width: true,
  height: true,
  durationMs: true,
  favorite: true,
  boardId: true,
  createdAt: true,
  deletedAt: true,
  storageKey: true,
  thumbKey: true,
} as const satisfies Prisma.MediaSelect;

/** One item with everything the detail view shows; null for a missing id or another workspace's. */
export async function getMediaDetail(viewer: Viewer, mediaId: string): Promise<MediaDetailDTO | null> {
  requirePermission(viewer, "workspace:read");
  const workspaceId = viewer.workspaceId;
  const row = await db.media.findFirst({
    where: { id: mediaId, workspaceId },
    select: {
      ...itemSelect,
      position: true,
      mimeType: true,
      bytes: true,
      deletedById: true,
      board: { select: { id: true, name: true } },
      generation: {
        select: {
          id: true,
          tool: true,
          status: true,
          provider: true,
          params: true,
          estimatedCredits: true,
          chargedCredits: true,
          refundedCredits: true,
          chargeBasis: true,
          createdAt: true,
          finishedAt: true,
          errorMessage: true,
          createdBy: { select: { id: true, name: true, email: true } },
          inputMedia: { select: itemSelect },
          _count: { select: { media: true } },
        },
      },
    },
  });
  if (!row) {
    reportForeignIds(viewer, "media", [mediaId], "media detail");
    return null;
  }
  const slug = viewer.workspaceSlug;
  const generation = row.generation;
  const [derived, deletedBy, input] = await Promise.all([
    db.media.findMany({
      where: { workspaceId, deletedAt: null, generation: { workspaceId, inputMediaId: row.id } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 24,
      select: itemSelect,
    }),
    row.deletedById ? db.user.findUnique({ where: { id: row.deletedById }, select: { name: true, email: true } }) : null,
    lineageInput(viewer, generation.params, generation.inputMedia),
  ]);
  return {
    item: toGalleryItem(slug, row),
    generation: {
      id: generation.id,
      tool: generation.tool,
      status: generation.status,
      provider: generation.provider,
      params: generation.params,
      estimatedCredits: generation.estimatedCredits,
      charge: { credits: generation.chargedCredits, refunded: generation.refundedCredits, basis: generation.chargeBasis },
      createdAt: generation.createdAt.toISOString(),
      finishedAt: generation.finishedAt?.toISOString() ?? null,
      createdBy: generation.createdBy ? { id: generation.createdBy.id, name: generation.createdBy.name ?? generation.createdBy.email } : null,
      errorMessage: generation.errorMessage,
      position: row.position + 1,
      outputs: generation._count.media,
    },
    mimeType: row.mimeType,
    bytes: row.bytes,
    board: row.board,
    deletedBy: deletedBy ? (deletedBy.name ?? deletedBy.email) : null,
    input,
    derived: derived.map((item) => toGalleryItem(slug, item)),
  };
}

/**
 * Items to compare, in the order asked (2–4 ids, checked by the caller), each with its run's settings. An id that is
 * not in this workspace is left out (and reported like any foreign id); the caller says when fewer than two remain.
 */
export async function getCompareSet(viewer: Viewer, ids: string[]): Promise<CompareItemDTO[]> {
  requirePermission(viewer, "workspace:read");
  const wanted = [...new Set(ids)].slice(0, 4);
  const rows = await db.media.findMany({
    where: { id: { in: wanted }, workspaceId: viewer.workspaceId },
    select: {
      ...itemSelect,
      generation: { select: { id: true, tool: true, params: true, createdAt: true, createdBy: { select: { name: true, email: true } } } },
    },
  });
  reportIfShort(viewer, "media", wanted, rows.length, "compare");
  const byId = new Map(rows.map((row) => [row.id, row]));
  return wanted.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const { generation } = row;
    return [
      {
        item: toGalleryItem(viewer.workspaceSlug, row),
        generation: {
          id: generation.id,
          tool: generation.tool,
          params: generation.params,
          createdAt: generation.createdAt.toISOString(),
          createdBy: generation.createdBy ? (generation.createdBy.name ?? generation.createdBy.email) : null,
        },
      },
    ];
  });
}

/** The run's main input: a gallery item (lineage), an uploaded asset, or one that has since been deleted. */
async function lineageInput(viewer: Viewer, params: unknown, inputMedia: ItemRow | null): Promise<LineageInputDTO | null> {
  if (inputMedia) return { type: "media", item: toGalleryItem(viewer.workspaceSlug, inputMedia) };
  const refs = Object.values((params ?? {}) as Record<string, unknown>).filter(
    (value): value is { kind: string; id: string } =>
      typeof value === "object" && value !== null && "kind" in value && "id" in value && typeof (value as { id: unknown }).id === "string",
  );
  const ref = refs[0];
  if (!ref) return null;
  if (ref.kind === "asset") {
    const asset = await db.asset.findFirst({ where: { id: ref.id, workspaceId: viewer.workspaceId }, select: { id: true, name: true, thumbKey: true } });
    if (!asset) return { type: "gone" };
    const base = `/api/w/${encodeURIComponent(viewer.workspaceSlug)}/assets/${encodeURIComponent(asset.id)}`;
    return { type: "asset", id: asset.id, name: asset.name, thumbUrl: asset.thumbKey ? `${base}/thumb` : null };
  }
  return { type: "gone" };
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

export async function setFavorite(viewer: Viewer, mediaIds: string[], favorite: boolean): Promise<number> {
  requirePermission(viewer, "media:organize");
  const count = await db.$transaction(async (tx) => {
    const rows = await tx.media.updateManyAndReturn({
      where: { id: { in: mediaIds }, workspaceId: viewer.workspaceId, deletedAt: null },
      data: { favorite },
      select: { id: true },
    });
    if (rows.length) {
      const action = favorite ? "media.favorited" : "media.unfavorited";
      await recordAudit({ action, workspaceId: viewer.workspaceId, actorId: viewer.userId, ...bulkTarget("media", rows.map((row) => row.id)) }, tx);
    }
    return rows.length;
  });
  reportIfShort(viewer, "media", mediaIds, count, "favoriteMedia");
  if (count === 0) throw new NotFoundError(mediaIds.length === 1 ? "That item" : "Those items");
  return count;
}

/** Files items in a board (null: in none). */
export async function moveToBoard(viewer: Viewer, mediaIds: string[], boardId: string | null): Promise<{ count: number; boardName: string | null }> {
  requirePermission(viewer, "media:organize");
  let boardName: string | null = null;
  if (boardId) {
    const board = await db.board.findFirst({ where: { id: boardId, workspaceId: viewer.workspaceId }, select: { name: true } });
    if (!board) {
      reportForeignIds(viewer, "board", [boardId], "moveToBoard");
      throw new NotFoundError("That board");
    }
    boardName = board.name;
  }
  const count = await db.$transaction(async (tx) => {
    const rows = await tx.media.updateManyAndReturn({
      where: { id: { in: mediaIds }, workspaceId: viewer.workspaceId, deletedAt: null },
      data: { boardId },
      select: { id: true },
    });
    if (rows.length) {
      const target = bulkTarget("media", rows.map((row) => row.id));
      await recordAudit(
        { action: "media.moved", workspaceId: viewer.workspaceId, actorId: viewer.userId, ...target, details: { ...target.details, board: boardName, boardId } },
        tx,
      );
    }
    return rows.length;
  });
  reportIfShort(viewer, "media", mediaIds, count, "moveToBoard");
  if (count === 0) throw new NotFoundError(mediaIds.length === 1 ? "That item" : "Those items");
  return { count, boardName };
}
