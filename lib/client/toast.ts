import type { ExternalToast, toast as SonnerToast } from "sonner";
import { lazyModule } from "@/lib/client/lazy-module";

/**
 * `toast()`, `toast.success()`, `toast.error()` and `toast.message()` as sonner has them, with sonner's code (about
 * 10 KB compressed) fetched once the page has loaded instead of with it (issue 14: first-load JS): no page shows a
 * toast before someone does something. The root layout's Providers renders sonner's Toaster from the same module as
 * soon as it is here, and sonner replays to a Toaster the toasts made before it mounted, so a toast called before
 * then appears a moment later rather than being lost. Returns nothing: no caller uses sonner's toast id.
 */
export const sonnerModule = lazyModule(() => import("sonner"));

type Message = Parameters<typeof SonnerToast>[0];
type Kind = "default" | "success" | "error" | "message";

function show(kind: Kind, message: Message, data?: ExternalToast): void {
  const loaded = sonnerModule.get();
  if (loaded) return void send(loaded.toast, kind, message, data);
  // If sonner cannot be fetched (offline), there is nothing left to show the message with.
  sonnerModule.load().then(({ toast }) => send(toast, kind, message, data), () => {});
}

function send(toast: typeof SonnerToast, kind: Kind, message: Message, data?: ExternalToast) {
  if (kind === "default") toast(message, data);
  else toast[kind](message, data);
}

export const toast = Object.assign((message: Message, data?: ExternalToast) => show("default", message, data), {
  success: (message: Message, data?: ExternalToast) => show("success", message, data),
  error: (message: Message, data?: ExternalToast) => show("error", message, data),
  message: (message: Message, data?: ExternalToast) => show("message", message, data),
});
