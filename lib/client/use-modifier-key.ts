"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/** "⌘" on Apple platforms, "Ctrl" elsewhere (and during server rendering). */
export function useModifierKey(): "⌘" | "Ctrl" {
  return useSyncExternalStore(
    subscribe,
    () => (/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "⌘" : "Ctrl"),
    () => "Ctrl",
  );
}
