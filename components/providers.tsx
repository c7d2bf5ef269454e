"use client";

import { useEffect, useState, useSyncExternalStore, type ComponentProps, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Toaster as SonnerToaster } from "sonner";
import { sonnerModule } from "@/lib/client/toast";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } } }),
  );
  const narrow = useNarrowScreen();
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <LazyToaster
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
 * sonner's Toaster once its code is here: fetched when the browser is idle after the page's load event, or by the
 * first toast (lib/client/toast.ts), whichever comes first. Nothing is on screen before a toast, so nothing moves.
 */
function LazyToaster(props: ComponentProps<typeof SonnerToaster>) {
  const sonner = useSyncExternalStore(sonnerModule.subscribe, sonnerModule.get, () => null);
  useEffect(() => sonnerModule.prefetchWhenIdle(), []);
  return sonner ? <sonner.Toaster {...props} /> : null;
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
