import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { reportForeignIds } from "@/lib/data/denials";
import { recordAudit } from "@/lib/data/audit";
import { can, requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import { buildRequest, deadlineFor, type BuiltRequest } from "@/lib/generations/build-request";
import { GENERATION_QUEUE } from "@/lib/generations/constants";
import { admitEstimate, admitRun, inWorkspaceTurn } from "@/lib/generations/submit-limits";
import type {
  AssetDTO,
  CatalogDTO,
  CatalogEntryDTO,
  ChargeDTO,
  EstimateDTO,
  GenerationSummary,
  MediaDTO,
  SubmitResultDTO,
} from "@/lib/generations/types";
import { enqueue } from "@/lib/jobs/queue";
import { noteMissingInput } from "@/lib/generations/inputs";
import { ProbeError } from "@/lib/media/probe";
import { uploadSourceOf, withPreparedUpload, type UploadSource } from "@/lib/media/upload";
import { isProviderError } from "@/lib/providers/http/errors";
import type { GenerationCatalog } from "@/lib/providers/rendernet/request-schemas";
import { NotFoundError, UserError } from "@/lib/result";
import { extensionForType, storageKeys } from "@/lib/storage/keys";
import { storage } from "@/lib/storage/storage";
import { latestBalance, recordBalanceQuietly } from "@/lib/data/balance-snapshots";
import { enforceBudget } from "@/lib/usage/budgets";
import { seedOf, withChosenSeed, withRandomSeed } from "@/lib/generations/seeds";
import { generationRequest, type GenerationRequest, type ToolId } from "@/lib/validation/generations";

/**
 * The generation studio's server side, as pages, actions and API routes see it. Every function takes the Viewer,
 * checks the permission, and scopes every query by viewer.workspaceId. Submitting records the run and its job in
 * one transaction and returns without waiting for the provider's uploads; the worker (lib/generations/worker.ts)
 * uploads its inputs, sends it, tracks it and ingests the results.
 */

// ---------------------------------------------------------------------------------------------------------------
// Errors and small helpers

/** A provider failure during submit/estimate, as a message for people (never an upstream body). */
function toUserError(error: unknown): never {
  if (isProviderError(error)) {
    const code = error.cause === "rate_limited" ? "rate_limited" : error.cause === "invalid_input" ? "invalid_input" : "conflict";
    throw new UserError(error.userMessage, code);
  }
  throw error;
}

function parseRun(run: unknown): GenerationRequest {
  const parsed = generationRequest.safeParse(run);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".");
    (fieldErrors[key] ??= []).push(issue.message);
  }
  throw new UserError(parsed.error.issues[0]?.message ?? "Check the settings.", "invalid_input", fieldErrors);
}

const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

// ---------------------------------------------------------------------------------------------------------------
// Catalogue (cached per connection for 5 minutes)

const CATALOG_TTL_MS = 5 * 60_000;
const globalCaches = globalThis as unknown as {
  atelierCatalogCache?: Map<string, { at: number; value: Promise<CatalogDTO> }>;
  atelierEstimateCache?: Map<string, { at: number; connectionId: string | null; value: EstimateDTO }>;
};
const catalogCache = (globalCaches.atelierCatalogCache ??= new Map());
const estimateCache = (globalCaches.atelierEstimateCache ??= new Map());

async function loadCatalog(connection: WorkspaceConnection): Promise<CatalogDTO> {
  const client = connection.rendernet;
  const entry = (r: { name: string; baseModel?: string; thumbnail?: string }): CatalogEntryDTO => ({
    name: r.name,
    baseModel: r.baseModel ?? null,
    thumbnail: r.thumbnail ?? null,
  });
  const [models, styles, fluxStyles, loras, controlNets, fluxControlNets, voices, characters] = await Promise.all([
    client.listModels(),
    client.listStyles(),
    client.listStyles({ flux: true }),
    client.listLoras(),
    client.listControlNets(),
    client.listControlNets({ flux: true }),
    client.listVoices(),
    client.listCharacters(),
  ]);
  return {
    models: models.map(entry),
    styles: styles.map(entry),
    fluxStyles: fluxStyles.map(entry),
    loras: loras.map(entry),
    controlNets: controlNets.map(entry),
    fluxControlNets: fluxControlNets.map(entry),
    voices: voices.map((voice) => ({ name: voice.name })),
    characters: characters.map((c) => ({
      id: c.id,
      name: c.name,
      system: c.systemCharacter ?? false,
      thumbnail: c.inputImage || null,
      type: c.characterType === "realistic" || c.characterType === "stylized" ? c.characterType : null,
      description: c.prompt ?? null,
    })),
  };
}

/** Drops a connection's cached catalogue, so the next read sees a character just created or edited. */
export function forgetCatalog(connectionId: string): void {
  catalogCache.delete(connectionId);
}

export async function catalogFor(connection: WorkspaceConnection): Promise<CatalogDTO> {
  const cached = catalogCache.get(connection.connectionId);
  if (cached && Date.now() - cached.at < CATALOG_TTL_MS) return cached.value;
  const value = loadCatalog(connection);
  catalogCache.set(connection.connectionId, { at: Date.now(), value });
  value.catch(() => catalogCache.delete(connection.connectionId));
  return value;
}

export function generationCatalogOf(catalog: CatalogDTO): GenerationCatalog {
  const entry = (e: CatalogEntryDTO) => ({ name: e.name, baseModel: e.baseModel ?? undefined });
  return {
    models: catalog.models.map(entry),
    styles: [...catalog.styles, ...catalog.fluxStyles].map(entry),
    loras: catalog.loras.map(entry),
    controlNets: [...catalog.controlNets, ...catalog.fluxControlNets].map(entry),
    characters: catalog.characters.map((c) => ({ id: c.id, name: c.name })),
    voices: catalog.voices,
  };
}

export async function getCatalog(viewer: Viewer): Promise<CatalogDTO> {
  requirePermission(viewer, "workspace:read");
  const connection = await getWorkspaceConnection(viewer.workspaceId);
  return catalogFor(connection).catch(toUserError);
}

// ---------------------------------------------------------------------------------------------------------------
// Estimate

const ESTIMATE_TTL_MS = 30_000;
const estimateKey = (workspaceId: string, run: GenerationRequest) => `${workspaceId}:${hashOf(run)}`;

/**
 * A cached estimate with the provider's latest balance: a run that finished since (its create's `credits_remaining`,
 * lib/generations/worker.ts) or another estimate may have moved it, and the form must not show a figure that lags.
 */
async function withLatestBalance(workspaceId: string, cached: { at: number; connectionId: string | null; value: EstimateDTO }): Promise<EstimateDTO> {
  const { value } = cached;
  if (value.credits === null || value.balance === null || cached.connectionId === null) return value;
  const latest = await latestBalance(workspaceId, cached.connectionId);
  if (!latest || latest.at.getTime() <= cached.at || latest.balance === value.balance) return value;
  return { ...value, balance: latest.balance, shortBy: value.credits > latest.balance ? value.credits - latest.balance : null };
}

/** The sentence a run the balance cannot cover is refused with (at submit, or by its job when priced there). */
export function balanceShortMessage(credits: number, balance: number): string {
  return `This run costs ${credits} credits and the balance is ${balance}.`;
}

/** Prices a built request at the provider (RenderNet); never one with placeholders for inputs not uploaded yet. */
export async function estimateBuilt(connection: WorkspaceConnection, built: BuiltRequest, workspaceId: string): Promise<EstimateDTO> {
  if (built.pendingUploads > 0) throw new Error("estimateBuilt: the request still waits for uploads");
  if (built.request.provider !== "rendernet") return { credits: null, balance: null, shortBy: null };
  const catalog = generationCatalogOf(await catalogFor(connection));
  const { estimated, balance } = await connection.rendernet.estimate(built.request.items, { catalog });
  recordBalanceQuietly(workspaceId, "RENDERNET", connection.connectionId, balance); // the usage page's balance line
  return { credits: estimated, balance, shortBy: estimated > balance ? estimated - balance : null };
}

export async function estimateGeneration(viewer: Viewer, run: GenerationRequest): Promise<EstimateDTO> {
  requirePermission(viewer, "generation:create");
  const parsed = parseRun(run);
  if (parsed.tool === "CONTROLNET") return { credits: null, balance: null, shortBy: null };
  const key = estimateKey(viewer.workspaceId, parsed);
  const cached = estimateCache.get(key);
  if (cached && Date.now() - cached.at < ESTIMATE_TTL_MS) return withLatestBalance(viewer.workspaceId, cached);
  let connectionId: string | null = null;
  const value = await inWorkspaceTurn(viewer, async () => {
    await admitEstimate(viewer); // only estimates that reach the provider count
    const connection = await getWorkspaceConnection(viewer.workspaceId);
    connectionId = connection.connectionId;
    return buildRequest(connection, viewer.workspaceId, parsed)
      .then((built) => estimateBuilt(connection, built, viewer.workspaceId))
      .catch((error: unknown) => {
        noteMissingInput(viewer, error, "estimateGeneration");
        return toUserError(error);
      });
  });
  if (estimateCache.size > 1000) estimateCache.clear();
  estimateCache.set(key, { at: Date.now(), connectionId, value });
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Submit and retry

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

async function existingByKey(workspaceId: string, idempotencyKey: string): Promise<SubmitResultDTO | null> {
  const row = await db.generation.findFirst({ where: { workspaceId, idempotencyKey }, select: { id: true, status: true } });
  return row ? { generationId: row.id, status: row.status, deduplicated: true } : null;
}

type RunInput = {
  idempotencyKey: string;
  boardId: string | null;
  run: GenerationRequest;
  retryOfId?: string;
  /** Vary: the run this one varies; its seed is never chosen again. */
  variationOf?: { id: string; seed: number | null | undefined };
};

/** In the workspace's turn (lib/generations/submit-limits.ts), so one workspace's burst queues behind itself only. */
function createGeneration(viewer: Viewer, input: RunInput): Promise<SubmitResultDTO> {
  return inWorkspaceTurn(viewer, async () => {
    // A replay of a recorded run (double click, retried request) answers with it and is not counted.
    const earlier = await existingByKey(viewer.workspaceId, input.idempotencyKey);
    if (earlier) return earlier;
    // Fair use: a place for this run, before anything reaches the provider; given back unless a run is recorded.
    const admission = await admitRun(viewer);
    let recorded = false;
    try {
      const result = await recordGeneration(viewer, input);
      recorded = !result.deduplicated;
      return result;
    } finally {
      if (!recorded) await admission.release();
    }
  });
}

/**
 * The price of a run at submit, without waiting for the provider's uploads: the form's own estimate of this very
 * payload when it is still cached (the usual case: the form prices as it changes), else the provider's estimate when
 * every input is already at the provider, else null: the run's job prices it after uploading, before anything is
 * sent (lib/generations/prepare.ts).
 */
async function priceAtSubmit(connection: WorkspaceConnection, workspaceId: string, run: GenerationRequest, built: BuiltRequest): Promise<EstimateDTO | null> {
  if (built.request.provider !== "rendernet") return { credits: null, balance: null, shortBy: null };
  const cached = estimateCache.get(estimateKey(workspaceId, run));
  // With the provider's latest balance (each create's answer records it), so a run the balance can no longer cover
  // is refused here rather than by the provider.
  if (cached && Date.now() - cached.at < ESTIMATE_TTL_MS) return withLatestBalance(workspaceId, cached);
  if (built.pendingUploads > 0) return null;
  return estimateBuilt(connection, built, workspaceId).catch(toUserError);
}

/**
 * Checks and records the run with its job (one transaction) and returns; deduplicated when its key won a race
 * elsewhere. Nothing here waits for an upload: inputs are resolved in the workspace (a foreign id is "not found" at
 * once) and those not yet at the provider are left to the run's job, the run recorded PREPARING ("Uploading input").
 * Cost: a run priced here (see priceAtSubmit) is refused now if the balance or the member's budget cannot cover it,
 * and then counts against the budget like any run in flight; a run that could not be priced here is priced by its
 * job after the uploads and checked against the balance and the budget under the same lock, before the create.
 */
async function recordGeneration(viewer: Viewer, input: RunInput): Promise<SubmitResultDTO> {
  const workspaceId = viewer.workspaceId;
  const what = input.retryOfId ? "retryGeneration" : input.variationOf ? "varyGeneration" : "submitGeneration";
  // A seed left on "random" is chosen here, so the stored params, the stored request and what is sent all carry it.
  const asked = parseRun(input.run);
  const run = withChosenSeed(asked, input.variationOf?.seed);
  if (input.boardId) {
    const board = await db.board.findFirst({ where: { id: input.boardId, workspaceId }, select: { id: true } });
    if (!board) {
      reportForeignIds(viewer, "board", [input.boardId], what);
      throw new NotFoundError("That board");
    }
  }
  const connection = await getWorkspaceConnection(workspaceId);
  // A provider that can't be used refuses the run before any input is uploaded to it.
  const unavailable = run.tool === "CONTROLNET" ? connection.unavailable.qolaba : connection.unavailable.rendernet;
  if (unavailable) throw new UserError(unavailable, "conflict");
  const built = await buildRequest(connection, workspaceId, run, { uploads: "later" }).catch((error: unknown) => {
    noteMissingInput(viewer, error, what);
    return toUserError(error);
  });
  const preparing = built.pendingUploads > 0;
  const estimate = await priceAtSubmit(connection, workspaceId, asked, built); // the form priced the run as asked
  if (estimate?.credits != null && estimate.balance !== null && estimate.credits > estimate.balance) {
    throw new UserError(balanceShortMessage(estimate.credits, estimate.balance), "conflict");
  }
  const credits = estimate?.credits ?? null;
  try {
    const generation = await db.$transaction(async (tx) => {
      // The member's monthly budget, checked under a lock on their membership so concurrent submits can't overspend.
      await enforceBudget(tx, { workspaceId, userId: viewer.userId, cost: credits });
      const row = await tx.generation.create({
        data: {
          workspaceId,
          createdById: viewer.userId,
          tool: run.tool,
          provider: built.provider,
          status: preparing ? "PREPARING" : "QUEUED",
          idempotencyKey: input.idempotencyKey,
          params: run.params as Prisma.InputJsonValue,
          // With inputs still to upload the request holds placeholders: the job builds it again (worker.ts).
          request: preparing ? Prisma.DbNull : (built.request as unknown as Prisma.InputJsonValue),
          prompt: built.prompt,
          modelLabel: built.modelLabel,
          estimatedCredits: credits,
          inputMediaId: built.inputMediaId,
          boardId: input.boardId,
          retryOfId: input.retryOfId ?? null,
          deadlineAt: deadlineFor(built.mediaKind, new Date()),
        },
        select: { id: true, status: true },
      });
      await enqueue(tx, { queue: GENERATION_QUEUE, key: `generation:${row.id}`, groupKey: workspaceId, payload: { generationId: row.id } });
      await recordAudit(
        {
          action: "generation.submitted",
          workspaceId,
          actorId: viewer.userId,
          targetType: "generation",
          targetId: row.id,
          details: {
            tool: run.tool,
            credits,
            ...(input.retryOfId ? { retryOf: input.retryOfId } : {}),
            ...(input.variationOf ? { variationOf: input.variationOf.id } : {}),
          },
        },
        tx,
      );
      return row;
    });
    return { generationId: generation.id, status: generation.status, deduplicated: false };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await existingByKey(workspaceId, input.idempotencyKey);
      if (winner) return winner;
    }
    throw error;
  }
}

export async function submitGeneration(
  viewer: Viewer,
  input: { idempotencyKey: string; boardId: string | null; run: GenerationRequest },
): Promise<SubmitResultDTO> {
  requirePermission(viewer, "generation:create");
  return createGeneration(viewer, input);
}

export async function retryGeneration(viewer: Viewer, generationId: string, idempotencyKey: string): Promise<SubmitResultDTO> {
  requirePermission(viewer, "generation:create");
  // The original stays failed, so a repeated retry request reaches createGeneration and gets the same run back.
  const original = await db.generation.findFirst({
    where: { id: generationId, workspaceId: viewer.workspaceId },
    select: { id: true, tool: true, params: true, status: true, boardId: true },
  });
  if (!original) {
    reportForeignIds(viewer, "generation", [generationId], "retryGeneration");
    throw new NotFoundError("That generation");
  }
  if (original.status !== "FAILED" && original.status !== "REFUSED") {
    throw new UserError("Only failed or refused runs can be retried.", "conflict");
  }
  return createGeneration(viewer, {
    idempotencyKey,
    boardId: original.boardId,
    run: { tool: original.tool, params: original.params } as GenerationRequest,
    retryOfId: original.id,
  });
}

/** A run of the viewer's workspace as it was recorded, to vary; another workspace's id answers like a missing one. */
async function recordedRun(viewer: Viewer, generationId: string, what: string) {
  const original = await db.generation.findFirst({
    where: { id: generationId, workspaceId: viewer.workspaceId },
    select: { id: true, tool: true, params: true, boardId: true },
  });
  if (!original) {
    reportForeignIds(viewer, "generation", [generationId], what);
    throw new NotFoundError("That run");
  }
  let run: GenerationRequest;
  try {
    run = parseRun({ tool: original.tool, params: original.params });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError("This run's settings can't be used again as they are; open Reuse settings to check them.", "invalid_input");
  }
  return { ...original, run };
}

/**
 * Vary: the same run again with everything equal but the seed, which is chosen anew (never the original's; a run
 * recorded without one gets one too). A tool without a seed runs again as it was (its provider draws its own
 * randomness). Otherwise a run like any other: its own idempotency key, and the fair-use limits, the balance and
 * the member's budget apply as for a submit.
 */
export async function varyGeneration(viewer: Viewer, generationId: string, idempotencyKey: string): Promise<SubmitResultDTO> {
  requirePermission(viewer, "generation:create");
  const original = await recordedRun(viewer, generationId, "varyGeneration");
  return createGeneration(viewer, {
    idempotencyKey,
    boardId: original.boardId,
    run: withRandomSeed(original.run),
    variationOf: { id: original.id, seed: seedOf(original.tool, original.params) },
  });
}

/** What Vary on this run would cost, through the form's estimate path (same cache, same limits). */
export async function estimateVariation(viewer: Viewer, generationId: string): Promise<EstimateDTO> {
  requirePermission(viewer, "generation:create");
  const original = await recordedRun(viewer, generationId, "estimateVariation");
  return estimateGeneration(viewer, withRandomSeed(original.run));
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

export function mediaUrls(slug: string, mediaId: string) {
  const base = `/api/w/${encodeURIComponent(slug)}/media/${encodeURIComponent(mediaId)}`;
  return { thumbUrl: `${base}/thumb`, originalUrl: `${base}/original` };
}

type MediaRow = {
  id: string;
  kind: MediaKind;
  status: "PENDING" | "READY" | "FAILED" | "REFUSED";
  width: number | null;
  height: number | null;
  durationMs: number | null;
  storageKey: string | null;
  thumbKey: string | null;
};

const mediaSelect = {
  id: true,
  kind: true,
  status: true,
  width: true,
  height: true,
  durationMs: true,
  storageKey: true,
  thumbKey: true,
} as const;

export function toMediaDTO(slug: string, media: MediaRow): MediaDTO {
  const urls = mediaUrls(slug, media.id);
  const ready = media.status === "READY";
  return {
    id: media.id,
    kind: media.kind,
    status: media.status,
    width: media.width,
    height: media.height,
    durationMs: media.durationMs,
    thumbUrl: ready && media.thumbKey ? urls.thumbUrl : null,
    originalUrl: ready && media.storageKey ? urls.originalUrl : null,
  };
}

export function toChargeDTO(row: { chargedCredits: number | null; refundedCredits: number | null; chargeBasis: ChargeDTO["basis"] }): ChargeDTO {
  return { credits: row.chargedCredits, refunded: row.refundedCredits, basis: row.chargeBasis };
}

const UNFINISHED = ["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING", "CANCELLING"] as const;

export async function listRecentGenerations(viewer: Viewer, options: { limit: number; activeOnly?: boolean }): Promise<GenerationSummary[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.generation.findMany({
    where: {
      workspaceId: viewer.workspaceId,
      ...(options.activeOnly ? { status: { in: [...UNFINISHED] } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(100, Math.floor(options.limit) || 20)),
    select: {
      id: true,
      tool: true,
      status: true,
      prompt: true,
      modelLabel: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      estimatedCredits: true,
      chargedCredits: true,
      refundedCredits: true,
      chargeBasis: true,
      provider: true,
      cancelRequestedAt: true,
      createdById: true,
      errorMessage: true,
      params: true,
      createdBy: { select: { name: true, email: true } },
      media: { orderBy: { position: "asc" }, select: mediaSelect },
    },
  });
  const mayCancelAny = can(viewer.role, "generation:cancel_any");
  const mayCancel = can(viewer.role, "generation:create");
  // Failed runs that were retried already say so instead of offering Retry again.
  const failedIds = rows.filter((row) => row.status === "FAILED" || row.status === "REFUSED").map((row) => row.id);
  const retried = failedIds.length
    ? new Set(
        (await db.generation.findMany({ where: { workspaceId: viewer.workspaceId, retryOfId: { in: failedIds } }, select: { retryOfId: true } })).map(
          (row) => row.retryOfId,
        ),
      )
    : new Set<string | null>();
  return rows.map((row) => ({
    id: row.id,
    tool: row.tool,
    status: row.status,
    retried: retried.has(row.id),
    prompt: row.prompt,
    modelLabel: row.modelLabel,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    estimatedCredits: row.estimatedCredits,
    charge: toChargeDTO(row),
    provider: row.provider,
    createdBy: row.createdBy?.name ?? row.createdBy?.email ?? null,
    errorMessage: row.errorMessage,
    seed: seedOf(row.tool, row.params) ?? null,
    cancelRequested: row.cancelRequestedAt !== null,
    canCancel:
      mayCancel &&
      (mayCancelAny || row.createdById === viewer.userId) &&
      row.cancelRequestedAt === null &&
      (["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING"] as string[]).includes(row.status),
    media: row.media.map((media) => toMediaDTO(viewer.workspaceSlug, media)),
  }));
}

export async function getGenerationParams(viewer: Viewer, generationId: string): Promise<{ tool: ToolId; params: unknown } | null> {
  requirePermission(viewer, "workspace:read");
  const row = await db.generation.findFirst({ where: { id: generationId, workspaceId: viewer.workspaceId }, select: { tool: true, params: true } });
  if (!row) reportForeignIds(viewer, "generation", [generationId], "reuse settings");
  return row ? { tool: row.tool, params: row.params } : null;
}

/** A READY gallery item of this workspace (not in the trash) of the given kind, to open a tool with; else null. */
export async function getInputMedia(viewer: Viewer, mediaId: string, kind: MediaKind): Promise<{ id: string } | null> {
  requirePermission(viewer, "workspace:read");
  const media = await db.media.findFirst({ where: { id: mediaId, workspaceId: viewer.workspaceId, status: "READY", deletedAt: null, kind }, select: { id: true } });
  if (!media) reportForeignIds(viewer, "media", [mediaId], "use as input");
  return media;
}

export async function listRecentMedia(viewer: Viewer, options: { kind?: MediaKind; limit: number }): Promise<MediaDTO[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.media.findMany({
    where: { workspaceId: viewer.workspaceId, status: "READY", deletedAt: null, ...(options.kind ? { kind: options.kind } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(100, Math.floor(options.limit) || 24)),
    select: mediaSelect,
  });
  return rows.map((row) => toMediaDTO(viewer.workspaceSlug, row));
}

// ---------------------------------------------------------------------------------------------------------------
// Assets

type AssetRow = Prisma.AssetGetPayload<object>;

export function toAssetDTO(slug: string, asset: AssetRow): AssetDTO {
  const base = `/api/w/${encodeURIComponent(slug)}/assets/${encodeURIComponent(asset.id)}`;
  return {
    id: asset.id,
    kind: asset.kind,
    name: asset.name,
    mimeType: asset.mimeType,
    width: asset.width,
    height: asset.height,
    durationMs: asset.durationMs,
    frameRate: asset.frameRate,
    bytes: asset.bytes,
    thumbUrl: asset.thumbKey ? `${base}/thumb` : null,
    originalUrl: `${base}/original`,
    createdAt: asset.createdAt.toISOString(),
  };
}

export async function listAssets(viewer: Viewer, options: { kind?: MediaKind; limit: number }): Promise<AssetDTO[]> {
  requirePermission(viewer, "workspace:read");
  const rows = await db.asset.findMany({
    where: { workspaceId: viewer.workspaceId, ...(options.kind ? { kind: options.kind } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(200, Math.floor(options.limit) || 50)),
  });
  return rows.map((row) => toAssetDTO(viewer.workspaceSlug, row));
}

/** An upload refused by its content or size; `status` is the HTTP status the API answers (413, 415 or 422). */
export class AssetRejectedError extends UserError {
  constructor(
    message: string,
    readonly status: 413 | 415 | 422,
  ) {
    super(message, "invalid_input");
    this.name = "AssetRejectedError";
  }
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return clean || "Untitled";
}

/**
 * Stores one upload as an asset of the workspace. `upload` is a stream being received (the upload route) or a File;
 * it is checked while it arrives (lib/media/upload.ts) and its temporary file is gone when this returns.
 */
export async function createAsset(viewer: Viewer, upload: UploadSource | Blob): Promise<AssetDTO> {
  requirePermission(viewer, "generation:create");
  const source = upload instanceof Blob ? uploadSourceOf(upload) : upload;
  return withPreparedUpload(source, async (prepared) => {
    const id = crypto.randomUUID().replace(/-/g, "");
    const storageKey = storageKeys.asset(viewer.workspaceId, id, extensionForType(prepared.mimeType));
    const thumbKey = prepared.thumbnail ? storageKeys.assetThumb(viewer.workspaceId, id) : null;
    if (prepared.bytes) await storage().put(storageKey, prepared.bytes, { contentType: prepared.mimeType });
    else await storage().putFile(storageKey, prepared.file!, { contentType: prepared.mimeType });
    if (thumbKey && prepared.thumbnail) await storage().put(thumbKey, prepared.thumbnail, { contentType: "image/webp" });
    try {
      const row = await db.$transaction(async (tx) => {
        const created = await tx.asset.create({
          data: {
            id,
            workspaceId: viewer.workspaceId,
            createdById: viewer.userId,
            kind: prepared.kind,
            name: cleanName(source.name),
            storageKey,
            thumbKey,
            mimeType: prepared.mimeType,
            width: prepared.width,
            height: prepared.height,
            bytes: prepared.size,
            durationMs: prepared.durationMs,
            frameRate: prepared.frameRate,
            checksum: prepared.checksum,
          },
        });
        await recordAudit(
          {
            action: "asset.uploaded",
            workspaceId: viewer.workspaceId,
            actorId: viewer.userId,
            targetType: "asset",
            targetId: created.id,
            details: { name: created.name, kind: created.kind.toLowerCase(), bytes: created.bytes },
          },
          tx,
        );
        return created;
      });
      return toAssetDTO(viewer.workspaceSlug, row);
    } catch (error) {
      await storage().delete(storageKey);
      if (thumbKey) await storage().delete(thumbKey);
      throw error;
    }
  }).catch((error: unknown) => {
    if (error instanceof ProbeError) throw new AssetRejectedError(error.message, error.status);
    throw error;
  });
}
