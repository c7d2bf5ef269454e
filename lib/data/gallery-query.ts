import { Prisma } from "@/lib/generated/prisma/client";
import { sqlInstant } from "@/lib/data/instant";
import { MODEL_TOOLS, type GalleryFilters } from "@/lib/gallery/view-params";
import type { Cursor } from "@/lib/validation/cursor";

/**
 * The gallery's one list query, as SQL: keyset (cursor) pagination over `(createdAt, id)` (`(deletedAt, id)` in
 * the trash), so the deepest page costs what the first one does. Every filter is an equality on a column that has
 * its own `(workspaceId, <column>, createdAt DESC, id DESC)` index (prisma/schema.prisma), so PostgreSQL walks one
 * index range in order and stops after `limit + 1` rows. Search uses the generated `search` tsvector (GIN index):
 * a bounded walk in order first, then the GIN index alone if the walk did not fill the page (galleryPageQuery).
 *
 * Timestamps are `timestamptz(3)`; instants are passed with their offset (lib/data/instant.ts), so a comparison never
 * depends on the session's time zone.
 */

// The cursor is a pure leaf shared with the data layer (lib/data/assets.ts); re-exported for this module's users.
export { decodeCursor, encodeCursor, type Cursor } from "@/lib/validation/cursor";

/**
 * Words of a search as a prefix-matching tsquery ("red car" → `red:* & car:*`), or null when there is nothing to
 * search for. Only letters and digits pass, so the text can never be tsquery syntax.
 */
export function searchQueryOf(text: string | null): string | null {
  if (!text) return null;
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words)].slice(0, 8);
  return unique.length ? unique.map((word) => `${word.slice(0, 60)}:*`).join(" & ") : null;
}

const STATUS_OF = { ready: "READY", running: "PENDING", failed: "FAILED", refused: "REFUSED" } as const;

export const GALLERY_COLUMNS = Prisma.sql`m."id", m."generationId", m."kind"::text AS "kind", m."status"::text AS "status",
  m."tool"::text AS "tool", m."modelLabel", m."prompt", m."width", m."height", m."durationMs", m."favorite", m."boardId",
  m."createdAt", m."deletedAt", m."storageKey", m."thumbKey"`;

export type GalleryRow = {
  id: string;
  generationId: string;
  kind: "IMAGE" | "VIDEO" | "AUDIO";
  status: "PENDING" | "READY" | "FAILED" | "REFUSED";
  tool: string;
  modelLabel: string | null;
  prompt: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  favorite: boolean;
  boardId: string | null;
  createdAt: Date;
  deletedAt: Date | null;
  storageKey: string | null;
  thumbKey: string | null;
};

/** The WHERE conditions of a view (without the cursor). */
export function galleryConditions(workspaceId: string, filters: GalleryFilters): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`m."workspaceId" = ${workspaceId}`];
  where.push(filters.trash ? Prisma.sql`m."deletedAt" IS NOT NULL` : Prisma.sql`m."deletedAt" IS NULL`);
  if (filters.tool) where.push(Prisma.sql`m."tool" = ${filters.tool}::"Tool"`);
  if (filters.kind) where.push(Prisma.sql`m."kind" = ${filters.kind.toUpperCase()}::"MediaKind"`);
  // Only a model tool's label is a model or style ("10 s" is an Image to video's duration, not a model).
  if (filters.model) where.push(Prisma.sql`m."modelLabel" = ${filters.model} AND m."tool" IN (${Prisma.join(MODEL_TOOLS.map((tool) => Prisma.sql`${tool}::"Tool"`))})`);
  if (filters.status) where.push(Prisma.sql`m."status" = ${STATUS_OF[filters.status]}::"MediaStatus"`);
  if (filters.member) where.push(Prisma.sql`m."createdById" = ${filters.member}`);
  if (filters.board === "none") where.push(Prisma.sql`m."boardId" IS NULL`);
  else if (filters.board) where.push(Prisma.sql`m."boardId" = ${filters.board}`);
  if (filters.favorites) where.push(Prisma.sql`m."favorite" = true`);
  if (filters.from) where.push(Prisma.sql`m."createdAt" >= ${sqlInstant(dayStart(filters.from))}`);
  if (filters.to) where.push(Prisma.sql`m."createdAt" < ${sqlInstant(dayAfter(filters.to))}`);
  const search = searchQueryOf(filters.q);
  if (search) where.push(Prisma.sql`m."search" @@ to_tsquery('english', ${search})`);
  return where;
}

function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function dayAfter(day: string): Date {
  const end = dayStart(day);
  end.setUTCDate(end.getUTCDate() + 1);
  return end;
}

/**
 * The filters without the date bound that the cursor already implies (the end of the range when reading newest
 * first, its start when reading oldest first). A B-tree scan cannot tell which of `createdAt < end` and
 * `(createdAt, id) < cursor` is tighter and starts from the one written first, so with both the deepest page of a
 * one-year range walked the whole year's index (~30 ms, bench/gallery-db.bench.ts). A cursor outside the range (one
 * made by hand) keeps both bounds, which is still correct.
 */
function boundsForCursor(filters: GalleryFilters, cursor: Cursor | null, ascending: boolean): GalleryFilters {
  if (!cursor || filters.trash) return filters;
  if (!ascending && filters.to && cursor.at < dayAfter(filters.to)) return { ...filters, to: null };
  if (ascending && filters.from && cursor.at >= dayStart(filters.from)) return { ...filters, from: null };
  return filters;
}

/**
 * The most rows of the view a search walks in order before the full-text index takes over (about 10 ms of reading
 * at a million items). Its first fifth is a probe: too few matches there and the index takes over at once.
 */
export const SEARCH_WALK_ROWS = 10_000;

/**
 * The list query of one page: `limit + 1` rows, so the caller knows whether there is a next page.
 * `walkRows` is for tests only (a low value makes both halves of a search run on a few rows).
 */
export function galleryPageQuery(
  workspaceId: string,
  filters: GalleryFilters,
  cursor: Cursor | null,
  limit: number,
  walkRows: number = SEARCH_WALK_ROWS,
): Prisma.Sql {
  const column = filters.trash ? Prisma.sql`m."deletedAt"` : Prisma.sql`m."createdAt"`;
  const ascending = !filters.trash && filters.sort === "oldest";
  const bounded = boundsForCursor(filters, cursor, ascending);
  const search = searchQueryOf(bounded.q);
  const where = galleryConditions(workspaceId, { ...bounded, q: null });
  if (cursor) {
    where.push(
      ascending
        ? Prisma.sql`(${column}, m."id") > (${sqlInstant(cursor.at)}, ${cursor.id})`
        : Prisma.sql`(${column}, m."id") < (${sqlInstant(cursor.at)}, ${cursor.id})`,
    );
  }
  const order = ascending ? Prisma.sql`${column} ASC, m."id" ASC` : Prisma.sql`${column} DESC, m."id" DESC`;
  if (!search) {
    return Prisma.sql`SELECT ${GALLERY_COLUMNS} FROM "Media" m WHERE ${Prisma.join(where, " AND ")} ORDER BY ${order} LIMIT ${limit + 1}`;
  }

  /*
   * Search. Left to itself the planner fails both ways at a million items (docs/benchmarks.md): it walks the date
   * index hoping for an early match, and a word used only long ago ("vaporwave") read ~940,000 rows (~1.1 s); near
   * the end of a common word's results it ANDs the few rows left with the GIN index, whose posting lists it reads
   * whole ("portrait forest", deepest page: 107 ms at p95). So, in one statement:
   * - `walk`: at most `walkRows` rows of the view in order (after the cursor), each marked whether it matches.
   *   It is read lazily: `hits` keeps its order, so PostgreSQL 17+ stops it at the page's last match. Its LIMIT is
   *   a subquery so the planner plans for the first rows (an ordered walk), not for all of them (on a small view,
   *   a sort of the whole view).
   * - `walked`: the walk settles the page if it finds `limit + 1` matches or reaches the end of the view. If its
   *   first fifth (`probe`) holds too few matches to expect that, it stops there.
   * - `indexed`, only when the walk did not settle the page: every match through the GIN index alone (MATERIALIZED
   *   and unordered, so the planner cannot turn it back into a walk); the newest `limit + 1` are kept.
   * Measured at p50: "portrait forest" deepest page 3 ms, "vaporwave" 30–40 ms; words too rare to fill a page in
   * the walk pay the probe and the index, a few ms more than before.
   */
  const matches = Prisma.sql`m."search" @@ to_tsquery('english', ${search})`;
  const probeRows = Math.max(1, Math.floor(walkRows / 5));
  // At this rate or below (matches per probe), the whole walk would not be expected to fill the page.
  const tooFew = Math.floor((limit * probeRows) / walkRows);
  const pageOrder = ascending ? Prisma.sql`"at" ASC, "id" ASC` : Prisma.sql`"at" DESC, "id" DESC`;
  return Prisma.sql`WITH walk AS (
      SELECT m."id", ${column} AS "at", ${matches} AS "hit" FROM "Media" m
      WHERE ${Prisma.join(where, " AND ")} ORDER BY ${order} LIMIT (SELECT ${walkRows}::int)
    ), hits AS (
      SELECT "id", "at" FROM walk WHERE "hit" ORDER BY ${pageOrder} LIMIT ${limit + 1}
    ), probe AS (
      SELECT "hit" FROM walk LIMIT ${probeRows}
    ), walked AS (
      SELECT CASE
        WHEN (SELECT count(*) FROM (SELECT 1 FROM probe WHERE "hit" LIMIT ${tooFew + 1}) h) <= ${tooFew}
          AND (SELECT count(*) FROM probe) = ${probeRows} THEN false
        ELSE (SELECT count(*) FROM hits) > ${limit} OR (SELECT count(*) FROM walk) < ${walkRows}
      END AS "complete"
    ), indexed AS MATERIALIZED (
      SELECT m."id", ${column} AS "at" FROM "Media" m
      WHERE ${Prisma.join([...where, matches], " AND ")} AND NOT (SELECT "complete" FROM walked)
    ), page AS (
      (SELECT "id", "at" FROM hits WHERE (SELECT "complete" FROM walked))
      UNION ALL
      (SELECT "id", "at" FROM indexed)
      ORDER BY ${pageOrder} LIMIT ${limit + 1}
    )
    SELECT ${GALLERY_COLUMNS} FROM page JOIN "Media" m ON m."id" = page."id" ORDER BY ${order}`;
}

/** The cursor after a row of a page in this view. */
export function cursorAfter(row: GalleryRow, filters: GalleryFilters): Cursor {
  return { at: filters.trash && row.deletedAt ? row.deletedAt : row.createdAt, id: row.id };
}
