/**
 * A per-key bulkhead inside one process: at most `max` tasks of one key (a workspace) run at once; the others wait
 * their turn, first come first served, without holding anything meanwhile. It exists for shared resources of the
 * process that one key's burst could otherwise fill: the database and rate-limit pools (a flood of one key's requests
 * queues there ahead of everyone else's; a transaction waiting on a lock holds its connection) and the provider
 * connections. It limits concurrency, not rate (the rate limits in lib/limits/rate-limiter.ts are shared by every
 * instance); `maxWaiting` bounds a key's line, past which `run` refuses at once (GateFullError) rather than hold more
 * requests in memory. Small and home-made because it is thirty lines with no timers; no package we have does per-key
 * queues.
 */

/** Thrown by `run` when the key's line is already `maxWaiting` long: the caller answers "busy" at once. */
export class GateFullError extends Error {
  constructor(readonly key: string) {
    super("too many tasks waiting for this key");
    this.name = "GateFullError";
  }
}

export interface KeyedGate {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Tasks running and waiting for a key (for tests). */
  load(key: string): { running: number; waiting: number };
}

export function createKeyedGate(max: number, options: { maxWaiting?: number } = {}): KeyedGate {
  const lanes = new Map<string, { running: number; waiting: (() => void)[] }>();
  const maxWaiting = options.maxWaiting ?? Infinity;

  async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { running: 0, waiting: [] }));
    if (lane.running < max) lane.running++;
    else if (lane.waiting.length >= maxWaiting) throw new GateFullError(key);
    else await new Promise<void>((resolve) => lane!.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = lane.waiting.shift();
      // The slot passes straight to the next in line (running stays the same), or is freed.
      if (next) next();
      else if (--lane.running === 0) lanes.delete(key);
    }
  }

  return {
    run,
    load: (key) => {
      const lane = lanes.get(key);
      return { running: lane?.running ?? 0, waiting: lane?.waiting.length ?? 0 };
    },
  };
}
