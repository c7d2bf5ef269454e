// @ts-check

/**
 * How an instance stops. One coordinator per process, kept on globalThis: the server front (scripts/server.mjs: the
 * HTTP side) and lib/startup.ts (the job worker, inside Next's bundle) each register what they must drain, and the
 * first `installShutdownHandlers` call owns SIGTERM and SIGINT. What it promises:
 * - At the signal `isShuttingDown()` is true at once, so readiness (GET /api/health/ready) answers 503 from then on.
 * - Every registered drain starts at once and gets the same plan (all Unix ms):
 *     acceptUntil  the listener stays open until then (ATELIER_SHUTDOWN_DELAY after SIGTERM; at once after SIGINT,
 *                  a person at a terminal), so load balancers see readiness go red before connections are refused;
 *     finishBy     work still running then is cut short: jobs are handed back to the queue (they run again on another
 *                  instance), open HTTP connections are closed;
 *     deadline     ATELIER_SHUTDOWN_TIMEOUT after the signal.
 *   finishBy leaves a margin before the deadline (a fifth of the timeout, at most 2 s) for those hand-backs to commit.
 * - The process exits 0 as soon as every drain has settled, which is before the deadline unless something hangs; at
 *   the deadline it exits 1 whatever is left (a job still leased then is picked up by another instance when its
 *   15 s lease lapses: nothing is lost, nothing runs twice at once).
 * - A second signal changes nothing (the plan is already running); a drain registered after the signal starts at once.
 * This file is plain JavaScript so that the server launcher and lib/env.ts (validation) share it.
 */

const KEY = Symbol.for('atelier.shutdown');

/** @typedef {{ signal: string, startedAt: number, acceptUntil: number, finishBy: number, deadline: number }} ShutdownPlan */
/** @typedef {(plan: ShutdownPlan) => Promise<unknown>} Drain */
/** @typedef {{ timeoutMs: number, delayMs: number }} ShutdownTimings */

export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 25;
export const DEFAULT_SHUTDOWN_DELAY_SECONDS = 5;

/**
 * ATELIER_SHUTDOWN_TIMEOUT and ATELIER_SHUTDOWN_DELAY (whole seconds), validated: throws a sentence naming the variable.
 * @param {{ ATELIER_SHUTDOWN_TIMEOUT?: string | undefined, ATELIER_SHUTDOWN_DELAY?: string | undefined }} source
 * @returns {ShutdownTimings}
 */
export function parseShutdownTimings(source) {
  /** @param {'ATELIER_SHUTDOWN_TIMEOUT' | 'ATELIER_SHUTDOWN_DELAY'} name @param {number} fallback @param {number} min @param {number} max */
  const read = (name, fallback, min, max) => {
    const text = (source[name] ?? '').trim();
    if (text === '') return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new Error(`${name} must be a whole number of seconds from ${min} to ${max}`);
    }
    return Number(text);
  };
  const timeout = read('ATELIER_SHUTDOWN_TIMEOUT', DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, 2, 3600);
  const explicitDelay = (source.ATELIER_SHUTDOWN_DELAY ?? '').trim() !== '';
  // The default delay never takes more than half of a short timeout; one set by hand must leave time to drain.
  const delay = explicitDelay ? read('ATELIER_SHUTDOWN_DELAY', 0, 0, 600) : Math.min(DEFAULT_SHUTDOWN_DELAY_SECONDS, Math.floor(timeout / 2));
  if (delay >= timeout) throw new Error('ATELIER_SHUTDOWN_DELAY must be shorter than ATELIER_SHUTDOWN_TIMEOUT');
  return { timeoutMs: timeout * 1000, delayMs: delay * 1000 };
}

/** @param {ShutdownTimings} timings @param {string} signal @param {number} now */
export function shutdownPlan(timings, signal, now) {
  const margin = Math.min(2000, Math.floor(timings.timeoutMs / 5));
  const deadline = now + timings.timeoutMs;
  const finishBy = deadline - margin;
  const acceptUntil = signal === 'SIGINT' ? now : Math.min(now + timings.delayMs, finishBy);
  return { signal, startedAt: now, acceptUntil, finishBy, deadline };
}

/**
 * @typedef {{
 *   plan: ShutdownPlan | null,
 *   drains: Map<string, Drain>,
 *   running: Promise<unknown>[],
 *   installed: ShutdownTimings | null,
 * }} Coordinator
 */

/** @returns {Coordinator} */
function coordinator() {
  const holder = /** @type {Record<symbol, Coordinator | undefined>} */ (/** @type {unknown} */ (globalThis));
  return (holder[KEY] ??= { plan: null, drains: new Map(), running: [], installed: null });
}

/** True from the moment a stop signal arrived. */
export function isShuttingDown() {
  return coordinator().plan !== null;
}

/** @param {string} message @param {Record<string, unknown>} [fields] */
function log(message, fields = {}) {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: message, ...fields }));
}

/**
 * Registers what must be drained when the process stops (one per name: a re-registration, e.g. after a development
 * reload, replaces it). Registered after the signal, it starts at once.
 * @param {string} name
 * @param {Drain} drain
 */
export function onShutdown(name, drain) {
  const state = coordinator();
  state.drains.set(name, drain);
  if (state.plan) state.running.push(runDrain(name, drain, state.plan));
}

/** @param {string} name @param {Drain} drain @param {ShutdownPlan} plan */
function runDrain(name, drain, plan) {
  return Promise.resolve()
    .then(() => drain(plan))
    .then(
      () => log(`shutdown: ${name} drained`, { afterMs: Date.now() - plan.startedAt }),
      (error) => log(`shutdown: ${name} failed to drain`, { error: error instanceof Error ? error.message : String(error) }),
    );
}

/**
 * Starts the stop sequence (what the signal handlers call). Resolves when every drain has settled; `exit` is called
 * then with 0, or at the deadline with 1.
 * @param {string} signal
 * @param {{ timings: ShutdownTimings, exit?: (code: number) => void, now?: () => number }} options
 */
export async function beginShutdown(signal, { timings, exit = (code) => process.exit(code), now = Date.now }) {
  const state = coordinator();
  if (state.plan) return;
  const plan = shutdownPlan(timings, signal, now());
  state.plan = plan;
  log('shutdown: not ready; draining', { signal, timeoutMs: timings.timeoutMs, acceptForMs: plan.acceptUntil - plan.startedAt });
  const hardStop = setTimeout(() => {
    log('shutdown: deadline reached with work still running; exiting', { drains: [...state.drains.keys()] });
    exit(1);
  }, Math.max(0, plan.deadline - now()));
  hardStop.unref();
  for (const [name, drain] of state.drains) state.running.push(runDrain(name, drain, plan));
  // Drains registered while these run join `running` too: wait until the list stops growing.
  let settled = 0;
  while (settled < state.running.length) {
    const batch = state.running.slice(settled);
    await Promise.allSettled(batch);
    settled += batch.length;
  }
  clearTimeout(hardStop);
  log('shutdown: done', { afterMs: now() - plan.startedAt });
  exit(0);
}

/**
 * Owns SIGTERM and SIGINT for this process (once; later calls are ignored).
 * @param {ShutdownTimings} timings
 */
export function installShutdownHandlers(timings) {
  const state = coordinator();
  if (state.installed) return;
  state.installed = timings;
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void beginShutdown(signal, { timings }));
}

/**
 * Resolves at `at` (Unix ms), at once if it has passed.
 * @param {number} at
 */
export function sleepUntil(at) {
  const ms = at - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * The drain of an HTTP server: keeps accepting until `acceptUntil`, then stops listening and lets the requests in
 * flight finish (Node's own `server.close()`: connections end as their responses do; idle keep-alive connections
 * are closed, and closed again as they turn idle), and at `finishBy` closes whatever is still open.
 * @param {import('node:http').Server} server
 * @returns {Drain}
 */
export function httpServerDrain(server) {
  return async (plan) => {
    await sleepUntil(plan.acceptUntil);
    if (!server.listening) return;
    const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 200);
    const force = setTimeout(() => server.closeAllConnections(), Math.max(0, plan.finishBy - Date.now()));
    try {
      await closed;
    } finally {
      clearInterval(idle);
      clearTimeout(force);
    }
  };
}
