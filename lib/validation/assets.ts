import { z } from "zod";
import { workspaceRef } from "@/lib/validation/workspaces";

/**
 * The asset library's view as the URL holds it (`?type=image|video|audio`), and the inputs of its actions. Shared by
 * the page (server), the list API and the filter (browser).
 */
export const ASSET_TYPES = ["image", "video", "audio"] as const;
export type AssetTypeFilter = (typeof ASSET_TYPES)[number];
export const ASSET_PAGE_SIZE = 40;

const kindOfType = { image: "IMAGE", video: "VIDEO", audio: "AUDIO" } as const;

/** The filter of a `type` query value; anything else (or nothing) is "all". */
export function parseAssetType(value: string | null | undefined): AssetTypeFilter | null {
  const lower = value?.toLowerCase();
  return (ASSET_TYPES as readonly string[]).includes(lower ?? "") ? (lower as AssetTypeFilter) : null;
}

export const assetKindOf = (type: AssetTypeFilter | null) => (type ? kindOfType[type] : undefined);

export const deleteAssetSchema = z.object({ workspace: workspaceRef, assetId: z.string().trim().min(1).max(64) });
