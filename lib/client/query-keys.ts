/**
 * Every react-query key of the app, in one registry, so a mutation can invalidate exactly what it changed. One module
 * rather than one per feature because the features invalidate each other's data (a gallery change re-reads the
 * studio's media pickers, an upload the asset library, a character the studio's catalogue, a board the tool forms'
 * board picker), and because all keys share one prefix: they start with the workspace slug, so switching workspaces
 * never shows another workspace's cache.
 */
import type { AssetDTO } from "@/lib/generations/types";

/** How many runs the queue panel shows (the newest first). */
export const RECENT_GENERATIONS_LIMIT = 20;

export type AssetKind = AssetDTO["kind"];
export type GalleryMediaKind = "IMAGE" | "VIDEO";

const workspaceKey = (slug: string) => ["workspace", slug] as const;

export const generationKeys = {
  all: (slug: string) => [...workspaceKey(slug), "generations"] as const,
  recent: (slug: string) => [...generationKeys.all(slug), "recent", RECENT_GENERATIONS_LIMIT] as const,
  estimates: (slug: string) => [...generationKeys.all(slug), "estimate"] as const,
  /** `run` is the JSON of the run being priced: the same payload is priced once. */
  estimate: (slug: string, run: string) => [...generationKeys.estimates(slug), run] as const,
  /** The price of Vary on one run (its stored settings with a new seed). */
  varyEstimate: (slug: string, generationId: string) => [...generationKeys.estimates(slug), "vary", generationId] as const,
};

export const promptHistoryKeys = {
  all: (slug: string) => [...workspaceKey(slug), "prompts"] as const,
  list: (slug: string, tool: string, search: string) => [...promptHistoryKeys.all(slug), tool, search] as const,
};

export const presetKeys = {
  all: (slug: string) => [...workspaceKey(slug), "presets"] as const,
  list: (slug: string, tool: string) => [...presetKeys.all(slug), tool] as const,
};

export const catalogKeys = {
  catalog: (slug: string) => [...workspaceKey(slug), "catalog"] as const,
};

export const assetKeys = {
  all: (slug: string) => [...workspaceKey(slug), "assets"] as const,
  list: (slug: string, kind: AssetKind) => [...assetKeys.all(slug), kind] as const,
  /** The Assets page's keyset pages; `type` is its filter ("image" | "video" | "audio", "all" for none). */
  libraries: (slug: string) => [...assetKeys.all(slug), "library"] as const,
  library: (slug: string, type: string) => [...assetKeys.libraries(slug), type] as const,
};

export const galleryMediaKeys = {
  all: (slug: string) => [...workspaceKey(slug), "gallery-media"] as const,
  /** The tools' gallery picker: READY items of one kind, searched by prompt with `q` ("" for none). */
  recent: (slug: string, kind: GalleryMediaKind, q: string) => [...workspaceKey(slug), "gallery-media", kind, q] as const,
};

export const galleryKeys = {
  all: (slug: string) => [...workspaceKey(slug), "gallery"] as const,
  /** `view` is the view's URL query (lib/validation/gallery.ts galleryParamsOf), so equal views share a cache. */
  pages: (slug: string, view: string) => [...galleryKeys.all(slug), "pages", view] as const,
  facets: (slug: string) => [...galleryKeys.all(slug), "facets"] as const,
  detail: (slug: string, mediaId: string) => [...galleryKeys.all(slug), "detail", mediaId] as const,
};

export const boardKeys = {
  list: (slug: string) => [...workspaceKey(slug), "boards"] as const,
};

export const auditKeys = {
  all: (slug: string) => [...workspaceKey(slug), "audit"] as const,
  /** `view` is the filters' URL query (lib/validation/audit.ts auditParamsOf), so equal views share a cache. */
  pages: (slug: string, view: string) => [...auditKeys.all(slug), "pages", view] as const,
};

export const batchKeys = {
  all: (slug: string) => [...workspaceKey(slug), "batches"] as const,
  /** `plan` is the JSON of the plan being priced. */
  plan: (slug: string, plan: string) => [...batchKeys.all(slug), "plan", plan] as const,
  batch: (slug: string, batchId: string) => [...batchKeys.all(slug), "batch", batchId] as const,
};
