/**
 * What the gallery's server side hands to pages, API routes and the browser (plain, serialisable DTOs).
 */
import type { ToolId } from "@/lib/validation/generations";
import type { ChargeDTO, GenerationStatusDTO } from "@/lib/generations/types";
import type { ModelToolId } from "@/lib/gallery/view-params";

export type GalleryItemDTO = {
  id: string;
  generationId: string;
  kind: "IMAGE" | "VIDEO" | "AUDIO";
  status: "PENDING" | "READY" | "FAILED" | "REFUSED";
  tool: ToolId;
  modelLabel: string | null;
  prompt: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  favorite: boolean;
  boardId: string | null;
  createdAt: string;
  /** Set for items in the trash. */
  deletedAt: string | null;
  /** Authenticated URLs under /api/w/<slug>/media/<id>/..., null until the file is in Atelier's storage. */
  thumbUrl: string | null;
  originalUrl: string | null;
};

export type GalleryPageDTO = {
  items: GalleryItemDTO[];
  /** Opaque keyset cursor of the next page; null on the last page. */
  nextCursor: string | null;
};

export type GalleryFacetsDTO = {
  members: { id: string; name: string }[];
  /** Models and styles used so far, by tool (only the tools that have them: MODEL_TOOLS), each sorted by name. */
  models: { tool: ModelToolId; labels: string[] }[];
  boards: { id: string; name: string }[];
  trashCount: number;
};

export type LineageInputDTO =
  | { type: "media"; item: GalleryItemDTO }
  | { type: "asset"; id: string; name: string; thumbUrl: string | null }
  | { type: "gone" };

export type MediaDetailDTO = {
  item: GalleryItemDTO;
  generation: {
    id: string;
    tool: ToolId;
    status: GenerationStatusDTO;
    provider: "RENDERNET" | "QOLABA";
    params: unknown;
    estimatedCredits: number | null;
    /** What the run cost, and how that is known (lib/generations/charges.ts). */
    charge: ChargeDTO;
    createdAt: string;
    finishedAt: string | null;
    createdBy: { id: string; name: string } | null;
    errorMessage: string | null;
    /** Position of this item among the run's outputs (1-based) and how many there are. */
    position: number;
    outputs: number;
  };
  mimeType: string | null;
  bytes: number | null;
  board: { id: string; name: string } | null;
  deletedBy: string | null;
  /** The input this was made from, when there was one. */
  input: LineageInputDTO | null;
  /** Gallery items made from this one (newest first, at most 24). */
  derived: GalleryItemDTO[];
};


/** One item of a compare view: the item and the run that made it (its settings, for the differences). */
export type CompareItemDTO = {
  item: GalleryItemDTO;
  generation: { id: string; tool: ToolId; params: unknown; createdAt: string; createdBy: string | null };
};
