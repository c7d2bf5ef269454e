import "server-only";
import { createHash } from "node:crypto";
import { requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import { buildRequest, type BuiltRequest } from "@/lib/generations/build-request";
import { catalogFor, generationCatalogOf } from "@/lib/generations/catalog";
import { noteMissingInput } from "@/lib/generations/inputs";
import { recordedRun } from "@/lib/generations/recorded-run";
import { withRandomSeed } from "@/lib/generations/seeds";
import { admitEstimate, inWorkspaceTurn } from "@/lib/generations/submit-limits";
import type { EstimateDTO, PriceDTO } from "@/lib/generations/types";
import { parseRun, toUserError } from "@/lib/generations/user-errors";
import { budgetPreview } from "@/lib/usage/budgets";
import { latestBalance, recordBalanceQuietly } from "@/lib/data/balance-snapshots";
import type { GenerationRequest } from "@/lib/validation/generations";
import { plural } from "@/lib/validation/text";

/**
 * What a run costs at the provider (RenderNet prices; Qolaba bills GPU time and has no figure). The form's
 * estimates are cached per workspace and payload for 30 seconds in this process, and the submit reuses the form's
 * own estimate of the very payload it sends (priceAtSubmit), so a run is usually priced without another call. The
 * provider's price is shared by the workspace; the member's budget is set against it on every estimate (never cached),
 * so the form warns before Generate with the rule the submit applies (lib/usage/budgets.ts).
 */

const ESTIMATE_TTL_MS = 30_000;
type CachedEstimate = { at: number; connectionId: string | null; value: PriceDTO };
const globalCaches = globalThis as unknown as { atelierEstimateCache?: Map<string, CachedEstimate> };
const estimateCache = (globalCaches.atelierEstimateCache ??= new Map());

const hashOf = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");
const estimateKey = (workspaceId: string, run: GenerationRequest) => `${workspaceId}:${hashOf(run)}`;

/**
 * A cached estimate with the provider's latest balance: a run that finished since (its create's `credits_remaining`,
 * lib/generations/worker.ts) or another estimate may have moved it, and the form must not show a figure that lags.
 */
async function withLatestBalance(workspaceId: string, cached: CachedEstimate): Promise<PriceDTO> {
  const { value } = cached;
  if (value.credits === null || value.balance === null || cached.connectionId === null) return value;
  const latest = await latestBalance(workspaceId, cached.connectionId);
  if (!latest || latest.at.getTime() <= cached.at || latest.balance === value.balance) return value;
  return { ...value, balance: latest.balance, shortBy: value.credits > latest.balance ? value.credits - latest.balance : null };
}

/** The sentence a run the balance cannot cover is refused with (at submit, or by its job when priced there). */
export function balanceShortMessage(credits: number, balance: number): string {
  return `This run costs ${plural(credits, "credit")} and the balance is ${balance.toLocaleString("en-US")}.`;
}

/** Prices a built request at the provider (RenderNet); never one with placeholders for inputs not uploaded yet. */
export async function estimateBuilt(connection: WorkspaceConnection, built: BuiltRequest, workspaceId: string): Promise<PriceDTO> {
  if (built.pendingUploads > 0) throw new Error("estimateBuilt: the request still waits for uploads");
  if (built.request.provider !== "rendernet") return { credits: null, balance: null, shortBy: null };
  const catalog = generationCatalogOf(await catalogFor(connection));
  const { estimated, balance } = await connection.rendernet.estimate(built.request.items, { catalog });
  recordBalanceQuietly(workspaceId, "RENDERNET", connection.connectionId, balance); // the usage page's balance line
  return { credits: estimated, balance, shortBy: estimated > balance ? estimated - balance : null };
}

export async function estimateGeneration(viewer: Viewer, run: GenerationRequest): Promise<EstimateDTO> {
  requirePermission(viewer, "generation:create");
  const price = await priceGeneration(viewer, parseRun(run));
  return { ...price, budget: await budgetPreview(viewer, price.credits) };
}

/**
 * The provider's price of a run without the member's budget (a batch prices each distinct combination once and sets
 * the total against the budget itself): the form's estimate path, same cache, same limits.
 */
export async function priceRun(viewer: Viewer, run: GenerationRequest): Promise<PriceDTO> {
  requirePermission(viewer, "generation:create");
  return priceGeneration(viewer, parseRun(run));
}

/** The provider's price of a parsed run, from the workspace's cache when fresh. */
async function priceGeneration(viewer: Viewer, parsed: GenerationRequest): Promise<PriceDTO> {
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
  }, "estimates");
  if (estimateCache.size > 1000) estimateCache.clear();
  estimateCache.set(key, { at: Date.now(), connectionId, value });
  return value;
}

/** What Vary on this run would cost, through the form's estimate path (same cache, same limits). */
export async function estimateVariation(viewer: Viewer, generationId: string): Promise<EstimateDTO> {
  requirePermission(viewer, "generation:create");
  const original = await recordedRun(viewer, generationId, "estimateVariation");
  return estimateGeneration(viewer, withRandomSeed(original.run));
}

/** A cached form estimate and the connection (provider account) it was priced through. */
export type FormEstimate = { price: PriceDTO; connectionId: string | null };

/**
 * The form's own estimate of this very payload when it is still cached (the usual case: the form prices the run as it
 * changes), with the provider's latest balance (each create's answer records it), so a run the balance can no longer
 * cover is refused at submit rather than by the provider; null when there is none. Started by the submit beside its
 * other reads.
 */
export function formEstimateOf(workspaceId: string, run: GenerationRequest): Promise<FormEstimate> | null {
  const cached = estimateCache.get(estimateKey(workspaceId, run));
  if (!cached || Date.now() - cached.at >= ESTIMATE_TTL_MS) return null;
  return withLatestBalance(workspaceId, cached).then((price) => ({ price, connectionId: cached.connectionId }));
}

/**
 * The price of a run at submit, without waiting for the provider's uploads: the form's estimate (formEstimateOf) when
 * there is one, priced through the connection the run will be sent with, else the provider's estimate when every
 * input is already at the provider, else null: the run's job prices it after uploading, before anything is sent
 * (lib/generations/prepare.ts). A form estimate from another connection (a key replaced since, on this instance or
 * another) is another account's price and balance, so it is not used.
 */
export async function priceAtSubmit(
  connection: WorkspaceConnection,
  workspaceId: string,
  built: BuiltRequest,
  formEstimate: FormEstimate | null,
): Promise<PriceDTO | null> {
  if (built.request.provider !== "rendernet") return { credits: null, balance: null, shortBy: null };
  if (formEstimate && formEstimate.connectionId === connection.connectionId) return formEstimate.price;
  if (built.pendingUploads > 0) return null;
  return estimateBuilt(connection, built, workspaceId).catch(toUserError);
}
