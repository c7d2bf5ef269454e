/**
 * A piece of browser code fetched when it is first needed instead of with the page (issue 14: first-load JS): Radix's
 * dialog and menu code, say, which no page shows until someone opens one.
 *
 * What it promises:
 * - `load()` fetches the module once; callers share one promise. A failed fetch (offline, a deploy replaced the chunk)
 *   is forgotten, so the next `load()` tries again instead of failing forever.
 * - `get()` is the loaded module or null, and `subscribe()` tells when that changes: together they feed
 *   `useSyncExternalStore`, so every component waiting for the module renders it as soon as it arrives.
 * - `prefetchWhenIdle()` fetches it once the page has finished loading (after the load event, when the browser is
 *   idle), so the first open is usually instant while the code still stays out of the page's first load.
 */
export type LazyModule<T> = {
  get: () => T | null;
  load: () => Promise<T>;
  subscribe: (listener: () => void) => () => void;
  prefetchWhenIdle: () => void;
};

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let value: T | null = null;
  let pending: Promise<T> | null = null;
  let prefetchScheduled = false;
  const listeners = new Set<() => void>();

  const load = () => {
    pending ??= importer().then(
      (module) => {
        value = module;
        listeners.forEach((listener) => listener());
        return module;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };

  return {
    get: () => value,
    load,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    prefetchWhenIdle: () => {
      if (prefetchScheduled || value !== null || typeof window === "undefined") return;
      prefetchScheduled = true;
      // A prefetch that fails stays quiet: the real use calls load() again and reports its own failure.
      whenIdleAfterLoad(() => void load().catch(() => {}));
    },
  };
}

/** Runs `task` once the page's load event has passed and the browser has a quiet moment. */
export function whenIdleAfterLoad(task: () => void): void {
  const idle = () => {
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(task, { timeout: 3_000 });
    else window.setTimeout(task, 200);
  };
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}
