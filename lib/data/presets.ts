import "server-only";
import { can, requirePermission, type Viewer } from "@/lib/authz";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/data/audit";
import { reportForeignIds } from "@/lib/data/denials";
import { mediaUrls } from "@/lib/data/media";
import { Prisma } from "@/lib/generated/prisma/client";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";
import type { ToolId } from "@/lib/validation/generations";
import { PRESET_LIST_MAX, type PresetParams } from "@/lib/validation/presets";

/**
 * Presets of the tool forms (lib/validation/presets.ts says what one holds). What this module promises:
 * - Every query carries the caller's workspace; a preset is visible to its author (personal) or to every member
 *   (shared). Another workspace's preset id answers "not found" and is reported there (`access.foreign_id`); a
 *   teammate's personal preset answers "not found" too, without a report (it is in this workspace).
 * - Members save personal and shared presets and change or delete their own; a shared preset is also changed or
 *   deleted by admins and owners; viewers only read (lib/authz.ts: `preset:create`, `preset:manage_shared`).
 * - A board or thumbnail named on save must be the workspace's (a thumbnail: a result still in the gallery).
 * - Each change writes its audit entry in the transaction of the change.
 * Deleting returns what the undo needs to make the preset again (its author is then whoever undoes it).
 */

export type PresetDTO = {
  id: string;
  tool: ToolId;
  name: string;
  shared: boolean;
  params: PresetParams;
  /** The board results land in when it is applied; null when none (or the board was deleted). */
  boardId: string | null;
  thumbnailMediaId: string | null;
  /** Null when the result was deleted or is in the trash. */
  thumbUrl: string | null;
  /** Who saved it (name, else email); null when the account is gone. */
  author: string | null;
  mine: boolean;
  /** The caller may rename, update and delete it. */
  canEdit: boolean;
  updatedAt: string;
};

/** What the undo of a deletion sends back to createPreset. */
export type DeletedPreset = Pick<PresetDTO, "tool" | "name" | "shared" | "params" | "boardId" | "thumbnailMediaId">;

const presetSelect = {
  id: true,
  tool: true,
  name: true,
  shared: true,
  params: true,
  boardId: true,
  thumbnailMediaId: true,
  authorId: true,
  updatedAt: true,
  author: { select: { name: true, email: true } },
  thumbnail: { select: { id: true, status: true, deletedAt: true, thumbKey: true } },
} satisfies Prisma.PresetSelect;

type PresetRow = Prisma.PresetGetPayload<{ select: typeof presetSelect }>;

function mayChange(viewer: Viewer, row: { authorId: string | null; shared: boolean }): boolean {
  if (!can(viewer.role, "preset:create")) return false;
  return row.authorId === viewer.userId || (row.shared && can(viewer.role, "preset:manage_shared"));
}

function toDTO(viewer: Viewer, row: PresetRow): PresetDTO {
  const thumb = row.thumbnail;
  const showable = thumb && thumb.status === "READY" && thumb.deletedAt === null && thumb.thumbKey !== null;
  return {
    id: row.id,
    tool: row.tool,
    name: row.name,
    shared: row.shared,
    params: row.params && typeof row.params === "object" && !Array.isArray(row.params) ? (row.params as PresetParams) : {},
    boardId: row.boardId,
    thumbnailMediaId: row.thumbnailMediaId,
    thumbUrl: showable ? mediaUrls(viewer.workspaceSlug, thumb.id).thumbUrl : null,
    author: row.author?.name ?? row.author?.email ?? null,
    mine: row.authorId === viewer.userId,
    canEdit: mayChange(viewer, row),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The caller's personal presets of one tool, then the workspace's shared ones, each by name: two walks of
 * `(workspaceId, tool, authorId, name)` and `(workspaceId, tool, shared, name)`, each at most PRESET_LIST_MAX.
 */
export async function listPresets(viewer: Viewer, tool: ToolId): Promise<PresetDTO[]> {
  requirePermission(viewer, "workspace:read");
  const [personal, shared] = await Promise.all([
    db.preset.findMany({
      where: { workspaceId: viewer.workspaceId, tool, authorId: viewer.userId, shared: false },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: PRESET_LIST_MAX,
      select: presetSelect,
    }),
    db.preset.findMany({
      where: { workspaceId: viewer.workspaceId, tool, shared: true },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: PRESET_LIST_MAX,
      select: presetSelect,
    }),
  ]);
  return [...personal, ...shared].map((row) => toDTO(viewer, row));
}

function duplicateName(error: unknown, name: string, shared: boolean): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    const message = shared ? `The workspace already shares a preset called “${name}” for this tool.` : `You already have a preset called “${name}” for this tool.`;
    throw new UserError(message, "conflict", { name: [message] });
  }
  throw error;
}

type Tx = Prisma.TransactionClient;

/** The board and thumbnail a preset names, checked inside the caller's workspace. */
async function checkReferences(tx: Tx, viewer: Viewer, refs: { boardId: string | null; thumbnailMediaId?: string | null }, what: string) {
  if (refs.boardId) {
    const board = await tx.board.findFirst({ where: { id: refs.boardId, workspaceId: viewer.workspaceId }, select: { id: true } });
    if (!board) {
      reportForeignIds(viewer, "board", [refs.boardId], what);
      throw new NotFoundError("That board");
    }
  }
  if (refs.thumbnailMediaId) {
    const media = await tx.media.findFirst({
      where: { id: refs.thumbnailMediaId, workspaceId: viewer.workspaceId, status: "READY", deletedAt: null, thumbKey: { not: null } },
      select: { id: true },
    });
    if (!media) {
      reportForeignIds(viewer, "media", [refs.thumbnailMediaId], what);
      throw new UserError("That result was not found in the gallery: choose another picture, or none.", "not_found", {
        thumbnailMediaId: ["That result is no longer in the gallery."],
      });
    }
  }
}

/** A preset the caller can see, for a change: another workspace's is reported; one they may not change is refused. */
async function findForChange(tx: Tx, viewer: Viewer, presetId: string, what: string) {
  const row = await tx.preset.findFirst({
    where: { id: presetId, workspaceId: viewer.workspaceId, OR: [{ shared: true }, { authorId: viewer.userId }] },
    select: {
      id: true,
      tool: true,
      name: true,
      shared: true,
      authorId: true,
      params: true,
      boardId: true,
      thumbnailMediaId: true,
      author: { select: { email: true } },
    },
  });
  if (!row) {
    reportForeignIds(viewer, "preset", [presetId], what);
    throw new NotFoundError("That preset");
  }
  if (!mayChange(viewer, row)) {
    throw new ForbiddenError(`Only the member who saved “${row.name}”, admins and owners can change or delete it.`);
  }
  return row;
}

/** For the audit log: whose preset an admin or owner changed, when it was not their own. */
function otherAuthor(viewer: Viewer, row: { authorId: string | null; author: { email: string } | null }): Record<string, string | null> {
  return row.authorId === viewer.userId ? {} : { author: row.author?.email ?? null };
}

export type NewPreset = {
  tool: ToolId;
  name: string;
  shared: boolean;
  params: PresetParams;
  boardId: string | null;
  thumbnailMediaId: string | null;
};

export async function createPreset(viewer: Viewer, input: NewPreset, what = "createPreset"): Promise<PresetDTO> {
  requirePermission(viewer, "preset:create");
  return db
    .$transaction(async (tx) => {
      await checkReferences(tx, viewer, input, what);
      const row = await tx.preset.create({
        data: {
          workspaceId: viewer.workspaceId,
          authorId: viewer.userId,
          tool: input.tool,
          name: input.name,
          shared: input.shared,
          params: input.params as Prisma.InputJsonObject,
          boardId: input.boardId,
          thumbnailMediaId: input.thumbnailMediaId,
        },
        select: presetSelect,
      });
      await recordAudit(
        {
          action: "preset.created",
          workspaceId: viewer.workspaceId,
          actorId: viewer.userId,
          targetType: "preset",
          targetId: row.id,
          details: { name: input.name, tool: input.tool, shared: input.shared },
        },
        tx,
      );
      return toDTO(viewer, row);
    })
    .catch((e: unknown) => duplicateName(e, input.name, input.shared));
}

export async function renamePreset(viewer: Viewer, presetId: string, name: string): Promise<void> {
  requirePermission(viewer, "preset:create");
  let shared = false;
  await db
    .$transaction(async (tx) => {
      const row = await findForChange(tx, viewer, presetId, "renamePreset");
      shared = row.shared;
      if (row.name === name) return;
      const { count } = await tx.preset.updateMany({ where: { id: presetId, workspaceId: viewer.workspaceId }, data: { name } });
      if (count === 0) throw new NotFoundError("That preset");
      await recordAudit(
        {
          action: "preset.renamed",
          workspaceId: viewer.workspaceId,
          actorId: viewer.userId,
          targetType: "preset",
          targetId: presetId,
          details: { from: row.name, to: name, tool: row.tool, ...otherAuthor(viewer, row) },
        },
        tx,
      );
    })
    .catch((e: unknown) => duplicateName(e, name, shared));
}

/** "Update from current settings": the form's params and board replace the preset's (checked by the caller's schema). */
export async function updatePresetSettings(viewer: Viewer, presetId: string, input: { tool: ToolId; params: PresetParams; boardId: string | null }): Promise<PresetDTO> {
  requirePermission(viewer, "preset:create");
  return db.$transaction(async (tx) => {
    const row = await findForChange(tx, viewer, presetId, "updatePreset");
    if (row.tool !== input.tool) throw new UserError(`“${row.name}” is a preset of another tool.`, "invalid_input");
    await checkReferences(tx, viewer, { boardId: input.boardId }, "updatePreset");
    const { count } = await tx.preset.updateMany({
      where: { id: presetId, workspaceId: viewer.workspaceId },
      data: { params: input.params as Prisma.InputJsonObject, boardId: input.boardId },
    });
    if (count === 0) throw new NotFoundError("That preset");
    await recordAudit(
      {
        action: "preset.updated",
        workspaceId: viewer.workspaceId,
        actorId: viewer.userId,
        targetType: "preset",
        targetId: presetId,
        details: { name: row.name, tool: row.tool, ...otherAuthor(viewer, row) },
      },
      tx,
    );
    return toDTO(viewer, await tx.preset.findFirstOrThrow({ where: { id: presetId, workspaceId: viewer.workspaceId }, select: presetSelect }));
  });
}

/** Deletes a preset and returns what its undo sends back to createPreset. */
export async function deletePreset(viewer: Viewer, presetId: string): Promise<DeletedPreset> {
  requirePermission(viewer, "preset:create");
  return db.$transaction(async (tx) => {
    const row = await findForChange(tx, viewer, presetId, "deletePreset");
    const { count } = await tx.preset.deleteMany({ where: { id: presetId, workspaceId: viewer.workspaceId } });
    if (count === 0) throw new NotFoundError("That preset");
    await recordAudit(
      {
        action: "preset.deleted",
        workspaceId: viewer.workspaceId,
        actorId: viewer.userId,
        targetType: "preset",
        targetId: presetId,
        details: { name: row.name, tool: row.tool, shared: row.shared, ...otherAuthor(viewer, row) },
      },
      tx,
    );
    return {
      tool: row.tool,
      name: row.name,
      shared: row.shared,
      params: row.params && typeof row.params === "object" && !Array.isArray(row.params) ? (row.params as PresetParams) : {},
      boardId: row.boardId,
      thumbnailMediaId: row.thumbnailMediaId,
    };
  });
}
