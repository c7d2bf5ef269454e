/**
 * What the generation studio's server side hands to pages, API routes and actions (plain, serialisable DTOs).
 * lib/generations/ (catalog, estimate, submit, assets) and lib/data/ (generations, media, assets) implement the
 * functions; app/ and components/ only see these shapes.
 */
import type { ExpectedOutputs } from "@/lib/validation/run-outputs";
import type { ToolId } from "@/lib/validation/generations";

export type GenerationStatusDTO =
  | "PREPARING"
  | "QUEUED"
  | "SUBMITTING"
  | "RECONCILING"
  | "RUNNING"
  | "SUCCEEDED"
  | "FAILED"
  | "REFUSED"
  | "CANCELLING"
  | "CANCELLED";

/** How a run's charge is known (prisma ChargeBasis; lib/generations/charges.ts). */
export type ChargeBasisDTO = "NOT_SENT" | "NOT_ACCEPTED" | "BALANCE" | "ESTIMATE" | "UNKNOWN";

/** What a run cost: `basis` null while it is not settled (in flight, the estimate is what it would cost). */
export type ChargeDTO = {
  /** Credits the provider took and kept; null = not known. */
  credits: number | null;
  /** Credits seen coming back (0 = known not refunded); null = none known. */
  refunded: number | null;
  basis: ChargeBasisDTO | null;
};

export type MediaDTO = {
  id: string;
  kind: "IMAGE" | "VIDEO" | "AUDIO";
  status: "PENDING" | "READY" | "FAILED" | "REFUSED";
  width: number | null;
  height: number | null;
  durationMs: number | null;
  /** Authenticated URLs under /api/w/<slug>/media/<id>/..., null until the file is in Atelier's storage. */
  thumbUrl: string | null;
  originalUrl: string | null;
};

export type GenerationSummary = {
  id: string;
  tool: ToolId;
  status: GenerationStatusDTO;
  /** A failed run that has been retried (its retry is another run). */
  retried: boolean;
  prompt: string | null;
  modelLabel: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  estimatedCredits: number | null;
  charge: ChargeDTO;
  provider: "RENDERNET" | "QOLABA";
  createdBy: string | null;
  /** A sentence for people, never a raw provider body. */
  errorMessage: string | null;
  /** The seed the run was sent with (one for the whole batch); null for tools without one or a run that recorded none. */
  seed: number | null;
  /** Someone asked to cancel it (while unfinished the card says "Cancelling"; a run that finished anyway keeps its results). */
  cancelRequested: boolean;
  /** The viewer may cancel it now: unfinished, not being cancelled, and theirs (or they are an admin or owner). */
  canCancel: boolean;
  /** What the run was asked to make (lib/validation/run-outputs.ts): its placeholders while it works. */
  expected: ExpectedOutputs;
  media: MediaDTO[];
};

export type CatalogEntryDTO = { name: string; baseModel: string | null; thumbnail: string | null };

export type CatalogDTO = {
  models: CatalogEntryDTO[];
  styles: CatalogEntryDTO[];
  fluxStyles: CatalogEntryDTO[];
  loras: CatalogEntryDTO[];
  controlNets: CatalogEntryDTO[];
  fluxControlNets: CatalogEntryDTO[];
  voices: { name: string }[];
  characters: CharacterDTO[];
};

/** A character of the provider account: the provider's ready-made ones (`system`) and the account's own. */
export type CharacterDTO = {
  id: string;
  name: string;
  system: boolean;
  thumbnail: string | null;
  type: "realistic" | "stylized" | null;
  /** What the provider calls the character's prompt: who this is, in words. */
  description: string | null;
};

export type AssetDTO = {
  id: string;
  kind: "IMAGE" | "VIDEO" | "AUDIO";
  name: string;
  mimeType: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  frameRate: number | null;
  bytes: number;
  thumbUrl: string | null;
  originalUrl: string;
  createdAt: string;
};

/** An upload's answer: the stored asset, or (`existing`) the workspace's asset with the same bytes, kept instead. */
export type UploadedAssetDTO = AssetDTO & { existing: boolean };

/** An upload as the Assets page lists it: with who uploaded it. */
export type AssetLibraryItemDTO = AssetDTO & { createdBy: string | null };

/** One keyset page of the asset library; `nextCursor` is opaque (null on the last page). */
export type AssetLibraryPageDTO = { items: AssetLibraryItemDTO[]; nextCursor: string | null };

export type EstimateDTO = {
  /** Credits the run would cost; null where the provider has no credit system (Qolaba). */
  credits: number | null;
  balance: number | null;
  /** Set when the balance cannot cover the run. */
  shortBy: number | null;
  /** The member's monthly budget against this run: null when they have no limit or the run has no credit figure. */
  budget: BudgetPreviewDTO | null;
};

/** What the provider says a run costs, before the member's budget is set against it (shared by every member). */
export type PriceDTO = Omit<EstimateDTO, "budget">;

/**
 * The member's monthly credit budget as the form shows it before Generate (lib/usage/budgets.ts's budgetPreview):
 * `warning` is set when this run would take them past it, which the submit would refuse.
 */
export type BudgetPreviewDTO = { limit: number; remaining: number; warning: string | null };

export type SubmitResultDTO = { generationId: string; status: GenerationStatusDTO; deduplicated: boolean };

/** `cancelling`: the provider's side is still being stopped; the run ends CANCELLED shortly (or keeps its results). */
export type CancelResultDTO = { generationId: string; status: GenerationStatusDTO; cancelling: boolean };

/** One of a member's recent prompts for a tool (lib/data/prompt-history.ts): used `uses` times, last at `lastUsedAt`. */
export type PromptHistoryEntry = { prompt: string; lastUsedAt: string; uses: number; thumbUrl: string | null };
