// @ts-check
import client from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served by GET /api/metrics (docs/metrics.md says what each means).
 * What it promises:
 * - One registry per process, kept on globalThis: the server front (scripts/server.mjs, loaded by Node itself) and
 *   Next's bundles (route handlers, instrumentation, each with their own copy of this module, re-evaluated on every
 *   edit in development) all record into the same metric objects, whichever created them first.
 * - Every label takes values from a closed, small set, so the number of series is bounded whatever the traffic:
 *   `route` is a route pattern from Next's own manifest (never a raw path, so no ids), `method` one of seven words,
 *   `status` a class (`2xx` … `5xx`, `aborted`), `queue` one of Atelier's queue names, `provider` one of two,
 *   `outcome` and `cause` closed lists (lib/providers/http/errors.ts), `state` the run statuses. No label ever holds
 *   a user's input, an id, a URL or an address.
 * - Recording is synchronous and allocation-light (a hash lookup and an add): it never waits on I/O. Figures that live
 *   in the database (queue depth, runs by state, dead jobs, bytes stored) are gauges set at scrape time
 *   (lib/monitoring/scrape.ts), not here.
 * This file is plain JavaScript so that scripts/server.mjs and the app share it.
 */

const KEY = Symbol.for('atelier.metrics');

/** Request latency buckets (seconds): from a cached asset to a slow upload. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Job durations (seconds): a poll answers in ms; an ingest of videos may take minutes. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

function create() {
  const registry = new client.Registry();
  // CPU, memory, event-loop lag, handles: cheap, and the first thing to look at when latency rises.
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new client.Histogram({
      name: 'atelier_http_request_duration_seconds',
      help: 'Time from a request arriving to its response ending, by Next route pattern, method and status class.',
      labelNames: /** @type {const} */ (['route', 'method', 'status']),
      buckets: HTTP_BUCKETS,
      registers,
    }),
    jobDuration: new client.Histogram({
      name: 'atelier_job_duration_seconds',
      help: "Time a job's handler ran in this process, by queue and how the attempt ended.",
      labelNames: /** @type {const} */ (['queue', 'outcome']),
      buckets: JOB_BUCKETS,
      registers,
    }),
    providerCalls: new client.Counter({
      name: 'atelier_provider_calls_total',
      help: 'Calls to a provider API (all attempts of one call count once), by provider, outcome and cause.',
      labelNames: /** @type {const} */ (['provider', 'outcome', 'cause']),
      registers,
    }),
    jobs: new client.Gauge({
      name: 'atelier_jobs',
      help: 'Jobs in the shared queue right now, by queue and state (due, scheduled, running), read from the database at scrape time.',
      labelNames: /** @type {const} */ (['queue', 'state']),
      registers,
    }),
    deadJobs: new client.Gauge({
      name: 'atelier_dead_jobs',
      help: 'Jobs in the dead-job archive (kept 30 days, at most 10,000), by queue, read from the database at scrape time.',
      labelNames: /** @type {const} */ (['queue']),
      registers,
    }),
    runs: new client.Gauge({
      name: 'atelier_runs',
      help: 'Generation runs not finished yet, by state, read from the database at scrape time.',
      labelNames: /** @type {const} */ (['state']),
      registers,
    }),
    storedBytes: new client.Gauge({
      name: 'atelier_stored_bytes',
      help: 'Bytes of media and uploaded assets in storage, as recorded in the database (thumbnails and posters not counted).',
      labelNames: /** @type {const} */ (['kind']),
      registers,
    }),
    databaseReadOk: new client.Gauge({
      name: 'atelier_metrics_database_read_ok',
      help: '1 when the last scrape read the database figures (jobs, runs, bytes), 0 when that read failed or timed out.',
      registers,
    }),
  };
}

/** @typedef {ReturnType<typeof create>} AtelierMetrics */

/** This process's metrics (created on first use). @returns {AtelierMetrics} */
export function metrics() {
  const holder = /** @type {Record<symbol, AtelierMetrics | undefined>} */ (/** @type {unknown} */ (globalThis));
  return (holder[KEY] ??= create());
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** @param {string | undefined} method */
export function methodLabel(method) {
  return method && METHODS.has(method) ? method : 'other';
}

/** @param {number} status @param {boolean} finished whether the response was sent to its end */
export function statusLabel(status, finished) {
  if (!finished) return 'aborted';
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}
