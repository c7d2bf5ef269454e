import { TOOLS, type ToolId } from "@/lib/generations/tool-ids";
import { checkDay, DAY_MAX, DAY_MIN, hasUnstorableCharacters, ID_PATTERN } from "@/lib/validation/primitives";

/**
 * The gallery's view, as the URL holds it (so a view can be sent to a teammate). The same parser runs in the page
 * (server), the list API and the filter bar (browser); it has no dependencies, so the gallery's browser code stays
 * small. The gallery actions' schemas are in lib/validation/gallery.ts.
 */

export const GALLERY_STATUSES = ["ready", "running", "failed", "refused"] as const;
export type GalleryStatus = (typeof GALLERY_STATUSES)[number];
export const GALLERY_SORTS = ["newest", "oldest"] as const;
export type GallerySort = (typeof GALLERY_SORTS)[number];
export const GALLERY_KINDS = ["image", "video"] as const;

/**
 * The tools whose recorded `modelLabel` names a model or a style: Image's base (lib/generations/build-request.ts).
 * The others record something else there for their cards (Enhance its scale "2×", Image to video its duration
 * "10 s", Narrator its voice, ControlNet its kind "Pose"), which is not a model: the "Model or style" filter offers,
 * and matches, only these tools' labels.
 */
export const MODEL_TOOLS = ["IMAGE"] as const satisfies readonly ToolId[];
export type ModelToolId = (typeof MODEL_TOOLS)[number];

export const SEARCH_MAX = 200;
export const GALLERY_PAGE_SIZE = 48;
/** The most items one bulk action (or one zip) takes. */
export const BULK_MAX = 500;

export type GalleryFilters = {
  q: string | null;
  tool: ToolId | null;
  kind: (typeof GALLERY_KINDS)[number] | null;
  model: string | null;
  status: GalleryStatus | null;
  member: string | null;
  /** A board id, or "none" for items in no board. */
  board: string | null;
  favorites: boolean;
  /** UTC days, YYYY-MM-DD, both inclusive. */
  from: string | null;
  to: string | null;
  sort: GallerySort;
  /** The trash instead of the gallery. */
  trash: boolean;
};

export const EMPTY_FILTERS: GalleryFilters = {
  q: null,
  tool: null,
  kind: null,
  model: null,
  status: null,
  member: null,
  board: null,
  favorites: false,
  from: null,
  to: null,
  sort: "newest",
  trash: false,
};

type Params = { get(name: string): string | null };

/**
 * Reads a gallery view from URL parameters. Unknown or malformed values are dropped, each with a sentence saying
 * what was ignored, so a mangled link still opens (showing everything it could read) and says why.
 */
export function parseGalleryParams(params: Params): { filters: GalleryFilters; problems: string[] } {
  const problems: string[] = [];
  const filters: GalleryFilters = { ...EMPTY_FILTERS };
  const text = (name: string) => {
    const value = params.get(name);
    if (value === null || value.trim() === "") return null;
    // NUL and other control characters can't be stored or compared in PostgreSQL: the value is dropped, not sent.
    if (hasUnstorableCharacters(value)) {
      problems.push(`The link's “${name}” holds characters that can't be stored, so it was ignored.`);
      return null;
    }
    return value.trim();
  };

  const q = text("q");
  if (q) filters.q = q.slice(0, SEARCH_MAX);

  const tool = text("tool");
  if (tool) {
    const upper = tool.toUpperCase().replace(/-/g, "_");
    if ((TOOLS as readonly string[]).includes(upper)) filters.tool = upper as ToolId;
    else problems.push(`There is no tool called “${tool}”.`);
  }

  const kind = text("kind");
  if (kind) {
    if ((GALLERY_KINDS as readonly string[]).includes(kind)) filters.kind = kind as GalleryFilters["kind"];
    else problems.push(`“${kind}” is not a media type (image or video).`);
  }

  const model = text("model");
  if (model) filters.model = model.slice(0, 200);

  const status = text("status");
  if (status) {
    if ((GALLERY_STATUSES as readonly string[]).includes(status)) filters.status = status as GalleryStatus;
    else problems.push(`“${status}” is not a status (ready, running, failed or refused).`);
  }

  for (const name of ["member", "board"] as const) {
    const value = text(name);
    if (!value) continue;
    if (ID_PATTERN.test(value)) filters[name] = value;
    else problems.push(`The ${name} in the link is not valid.`);
  }

  filters.favorites = params.get("favorites") === "1" || params.get("favorites") === "true";

  for (const name of ["from", "to"] as const) {
    const value = text(name);
    if (!value) continue;
    const day = checkDay(value);
    if (day === "ok") filters[name] = value;
    else if (day === "range") problems.push(`“${value}” is outside the dates Atelier can search (${DAY_MIN} to ${DAY_MAX}).`);
    else problems.push(`“${value}” is not a date (use YYYY-MM-DD).`);
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    problems.push("The start date is after the end date, so the dates were swapped.");
    [filters.from, filters.to] = [filters.to, filters.from];
  }

  const sort = text("sort");
  if (sort) {
    if ((GALLERY_SORTS as readonly string[]).includes(sort)) filters.sort = sort as GallerySort;
    else problems.push(`“${sort}” is not a sort order (newest or oldest).`);
  }

  filters.trash = params.get("view") === "trash";
  return { filters, problems };
}

/** The URL parameters of a view (only what differs from the defaults, in a stable order). */
export function galleryParamsOf(filters: GalleryFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (filters.trash) out.set("view", "trash");
  if (filters.q) out.set("q", filters.q);
  if (filters.tool) out.set("tool", filters.tool.toLowerCase().replace(/_/g, "-"));
  if (filters.kind) out.set("kind", filters.kind);
  if (filters.model) out.set("model", filters.model);
  if (filters.status) out.set("status", filters.status);
  if (filters.member) out.set("member", filters.member);
  if (filters.board) out.set("board", filters.board);
  if (filters.favorites) out.set("favorites", "1");
  if (filters.from) out.set("from", filters.from);
  if (filters.to) out.set("to", filters.to);
  if (filters.sort !== "newest") out.set("sort", filters.sort);
  return out;
}

/** How many filters narrow the view (search and sort excluded). */
export function activeFilterCount(filters: GalleryFilters): number {
  return [filters.tool, filters.kind, filters.model, filters.status, filters.member, filters.board, filters.from ?? filters.to].filter(Boolean).length + (filters.favorites ? 1 : 0);
}

