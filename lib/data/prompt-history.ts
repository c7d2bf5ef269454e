import "server-only";
import { requirePermission, type Viewer } from "@/lib/authz";
import { db } from "@/lib/db";
import { mediaUrls } from "@/lib/data/media";
import { Prisma } from "@/lib/generated/prisma/client";
import type { PromptHistoryEntry } from "@/lib/generations/types";
import type { PromptTool } from "@/lib/validation/prompt-history";

/**
 * A member's recent prompts for one tool, newest first, each once (with how many times it was used), with a
 * thumbnail of its newest result still in the gallery. Only the caller's own runs in the caller's workspace.
 *
 * Bounded by construction: the member's newest HISTORY_DEPTH runs of the tool (one walk of the
 * `(workspaceId, createdById, tool, createdAt DESC)` index), searched and de-duplicated in that window; a search is a
 * plain case-insensitive substring test (strpos on lower()), so its text is never a pattern (no LIKE wildcards).
 */
export const HISTORY_DEPTH = 1000;

type Row = { prompt: string; lastUsedAt: Date; uses: bigint; mediaId: string | null };

export async function listPromptHistory(
  viewer: Viewer,
  { tool, search, limit }: { tool: PromptTool; search: string | null; limit: number },
): Promise<PromptHistoryEntry[]> {
  requirePermission(viewer, "workspace:read");
  const needle = search?.trim() ? search.trim().toLowerCase() : null;
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    WITH recent AS (
      SELECT g."id", g."prompt", g."createdAt"
      FROM "Generation" g
      WHERE g."workspaceId" = ${viewer.workspaceId} AND g."createdById" = ${viewer.userId}
        AND g."tool" = ${tool}::"Tool" AND g."prompt" IS NOT NULL AND btrim(g."prompt") <> ''
      ORDER BY g."createdAt" DESC
      LIMIT ${HISTORY_DEPTH}
    ), matching AS (
      SELECT r.* FROM recent r
      WHERE ${needle}::text IS NULL OR strpos(lower(r."prompt"), ${needle}::text) > 0
    ), latest AS (
      SELECT DISTINCT ON (m."prompt") m."prompt", m."createdAt" AS "lastUsedAt", count(*) OVER (PARTITION BY m."prompt") AS "uses"
      FROM matching m
      ORDER BY m."prompt", m."createdAt" DESC
    )
    SELECT l."prompt", l."lastUsedAt", l."uses", t."id" AS "mediaId"
    FROM latest l
    LEFT JOIN LATERAL (
      SELECT md."id"
      FROM recent r2
      JOIN "Media" md ON md."generationId" = r2."id"
      WHERE r2."prompt" = l."prompt" AND md."workspaceId" = ${viewer.workspaceId}
        AND md."status" = 'READY' AND md."deletedAt" IS NULL AND md."thumbKey" IS NOT NULL
      ORDER BY r2."createdAt" DESC, md."position" ASC
      LIMIT 1
    ) t ON true
    ORDER BY l."lastUsedAt" DESC
    LIMIT ${limit}
  `);
  return rows.map((row) => ({
    prompt: row.prompt,
    lastUsedAt: row.lastUsedAt.toISOString(),
    uses: Number(row.uses),
    thumbUrl: row.mediaId ? mediaUrls(viewer.workspaceSlug, row.mediaId).thumbUrl : null,
  }));
}
