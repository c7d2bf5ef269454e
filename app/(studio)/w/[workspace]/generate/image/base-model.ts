import type { CatalogEntryDTO } from "@/lib/generations/types";

export type Base = { kind: "model" | "style"; name: string; baseModel?: string };

/** "SD 1.5", "SDXL", "Flux" for the catalogue's base_model values. */
export function baseModelLabel(baseModel: string | null | undefined): string {
  switch (baseModel?.toLowerCase()) {
    case "sd15":
    case "sd1.5":
    case "sd_1.5":
      return "SD 1.5";
    case "sdxl":
      return "SDXL";
    case "flux":
      return "Flux";
    default:
      return baseModel ?? "";
  }
}

export const sameBaseModel = (a: string | null | undefined, b: string | null | undefined) => (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

export function baseFromEntry(kind: Base["kind"], entry: CatalogEntryDTO): Base {
  return entry.baseModel ? { kind, name: entry.name, baseModel: entry.baseModel } : { kind, name: entry.name };
}

export const sameBase = (a: Base | null, b: Base | null) => a !== null && b !== null && a.kind === b.kind && a.name === b.name && sameBaseModel(a.baseModel, b.baseModel);
