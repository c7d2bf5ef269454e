"use client";

import { useState, useSyncExternalStore, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Toaster } from "sonner";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } } }),
  );
  const narrow = useNarrowScreen();
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster
        position={narrow ? "top-center" : "bottom-right"}
        toastOptions={{
          classNames: {
            toast: "!bg-surface !text-ink !border-line !rounded-xl !shadow-pop",
            description: "!text-muted",
          },
        }}
      />
    </QueryClientProvider>
  );
}

/**
 * Below the large breakpoint the studio has a tab bar and a sticky Generate button at the bottom of the screen, so
 * toasts go to the top there instead of covering them. The server (and hydration) assume a wide screen; toasts only
 * appear after hydration, so the switch is never seen.
 */
const NARROW = "(max-width: 63.98rem)";
function subscribeNarrow(onChange: () => void) {
  const query = window.matchMedia(NARROW);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
function useNarrowScreen(): boolean {
  return useSyncExternalStore(subscribeNarrow, () => window.matchMedia(NARROW).matches, () => false);
}
