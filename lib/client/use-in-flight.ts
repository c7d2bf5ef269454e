"use client";

import { useCallback, useRef, useState } from "react";

/**
 * Which keys (a run's id) have a request in flight. The check is synchronous (a ref), so a double click sends one
 * request even before React re-renders; `isPending` is state, for buttons.
 */
export function useInFlight() {
  const inFlight = useRef(new Set<string>());
  const [pendingKeys, setPendingKeys] = useState<ReadonlySet<string>>(new Set());

  /** Runs `body` unless `key` already has a request in flight (then resolves null at once). */
  const guard = useCallback(async <R,>(key: string, body: () => Promise<R>): Promise<R | null> => {
    if (inFlight.current.has(key)) return null;
    inFlight.current.add(key);
    setPendingKeys(new Set(inFlight.current));
    try {
      return await body();
    } finally {
      inFlight.current.delete(key);
      setPendingKeys(new Set(inFlight.current));
    }
  }, []);

  return { guard, isPending: (key: string) => pendingKeys.has(key) };
}
