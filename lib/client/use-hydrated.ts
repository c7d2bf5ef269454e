"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => undefined;

/**
 * False on the server and during hydration, true from then on (and at once in a tree first rendered in the browser, as
 * after a client-side navigation). A component that shows data the browser may already hold when the component
 * hydrates (a query another, earlier-hydrated component started) must render what the server rendered until this
 * turns true, or React throws away the tree with a hydration error (#418).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
