import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { readOperationalFigures, type OperationalFigures } from "@/lib/data/operational-figures";
import { clientAddressFrom } from "@/lib/http/client-address";
import { consume } from "@/lib/limits/rate-limiter";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/metrics/registry.mjs";

/**
 * GET /api/metrics: who may scrape, and what a scrape reads. What it promises:
 * - No METRICS_TOKEN configured: the endpoint does not exist (404). Otherwise only `Authorization: Bearer <token>`
 *   passes, compared in constant time (both sides hashed to equal length first, so neither the token's length nor a
 *   matching prefix shows in the timing). A wrong or missing token is a 401 and costs the caller's address one point
 *   of METRICS_AUTH_LIMIT (10 a minute, then refused for 5 minutes with 429); the right token never touches the
 *   limiter, so a scrape writes nothing.
 * - The database figures (lib/data/operational-figures.ts) are read at most once per FIGURES_TTL_MS per process
 *   whatever the number of scrapers, one read at a time, and the bytes stored (two sums over whole tables, slow to
 *   change) at most once per BYTES_TTL_MS; when a read fails the gauges it feeds are dropped from the answer (not left
 *   stale) and `atelier_metrics_database_read_ok` is 0.
 */

export const METRICS_AUTH_LIMIT = { name: "metrics:bad-token:address", points: 10, durationSeconds: 60, blockSeconds: 300 };
export const FIGURES_TTL_MS = 10_000;
export const BYTES_TTL_MS = 300_000;

export type ScrapeAccess = { ok: true } | { ok: false; status: 401 | 404 | 429; retryAfterSeconds?: number };

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** `token` is the configured METRICS_TOKEN (undefined when unset). */
export async function authorizeScrape(headers: Headers, token: string | undefined): Promise<ScrapeAccess> {
  if (!token) return { ok: false, status: 404 };
  const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.get("authorization") ?? "")?.[1] ?? "";
  if (tokenMatches(presented, token)) return { ok: true };
  const verdict = await consume(METRICS_AUTH_LIMIT, clientAddressFrom(headers));
  return verdict.ok ? { ok: false, status: 401 } : { ok: false, status: 429, retryAfterSeconds: verdict.retryAfterSeconds };
}

type FiguresState = {
  readAt: number;
  reading: Promise<void> | null;
  bytes: { readAt: number; value: NonNullable<OperationalFigures["storedBytes"]> } | null;
};
const globalForScrape = globalThis as unknown as { atelierScrapeFigures?: FiguresState };

/** Puts the database figures into the gauges (or drops them when they could not be read). */
export function applyFigures(figures: OperationalFigures | null): void {
  const m = metrics();
  for (const gauge of [m.jobs, m.deadJobs, m.runs, m.storedBytes]) gauge.reset();
  m.databaseReadOk.set(figures ? 1 : 0);
  if (!figures) return;
  for (const row of figures.jobs) {
    m.jobs.set({ queue: row.queue, state: "due" }, row.due);
    m.jobs.set({ queue: row.queue, state: "scheduled" }, row.scheduled);
    m.jobs.set({ queue: row.queue, state: "running" }, row.running);
  }
  for (const row of figures.deadJobs) m.deadJobs.set({ queue: row.queue }, row.count);
  for (const row of figures.runs) m.runs.set({ state: row.state }, row.count);
  if (figures.storedBytes) {
    m.storedBytes.set({ kind: "media" }, figures.storedBytes.media);
    m.storedBytes.set({ kind: "assets" }, figures.storedBytes.assets);
  }
}

type ReadFigures = (options: { bytes: boolean }) => Promise<OperationalFigures>;

async function refreshFigures(read: ReadFigures): Promise<void> {
  const state = (globalForScrape.atelierScrapeFigures ??= { readAt: 0, reading: null, bytes: null });
  if (state.reading) return state.reading;
  if (Date.now() - state.readAt < FIGURES_TTL_MS) return;
  const bytes = state.bytes === null || Date.now() - state.bytes.readAt >= BYTES_TTL_MS;
  state.reading = read({ bytes })
    .then(
      (figures) => {
        if (figures.storedBytes) state.bytes = { readAt: Date.now(), value: figures.storedBytes };
        applyFigures({ ...figures, storedBytes: state.bytes?.value ?? null });
      },
      (error: unknown) => {
        logger.warn("metrics: could not read the database figures", { error: error instanceof Error ? error.message : String(error) });
        applyFigures(null);
      },
    )
    .finally(() => {
      state.readAt = Date.now();
      state.reading = null;
    });
  return state.reading;
}

/** The Prometheus text of this process's metrics, database figures included. */
export async function scrapeMetrics(read: ReadFigures = readOperationalFigures): Promise<{ body: string; contentType: string }> {
  await refreshFigures(read);
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

/** Forgets when the figures were read (tests). */
export function resetScrapeCache(): void {
  globalForScrape.atelierScrapeFigures = { readAt: 0, reading: null, bytes: null };
}
