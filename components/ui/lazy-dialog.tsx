"use client";

import { useEffect, useRef, useSyncExternalStore, type ComponentProps } from "react";
import { toast } from "@/lib/client/toast";
import type { Dialog as Primitive } from "radix-ui";
import type { DialogContent as StyledDialogContent } from "@/components/ui/dialog";
import { lazyModule } from "@/lib/client/lazy-module";

/**
 * The app's dialog (components/ui/dialog.tsx, same props) with Radix's dialog code, its focus trap, scroll lock and
 * portal, fetched when a dialog first opens instead of with every page that holds one (issue 14: first-load JS).
 *
 * Every dialog in the studio is controlled (`open`), and a closed dialog shows nothing, so until its code is here a
 * Dialog renders nothing at all; the first time it is asked to open, the code is fetched and the dialog appears, with
 * nothing on the page moving meanwhile (a dialog is an overlay). Pages prefetch the code once idle after their load
 * event, so in practice the first open is as quick as any. If the fetch fails (offline), the dialog reports it and
 * closes again, so the next click tries again.
 */
const dialogModule = lazyModule(() => import("@/components/ui/dialog"));

export function Dialog({ open, defaultOpen, onOpenChange, children, ...props }: ComponentProps<typeof Primitive.Root>) {
  // Null on the server and while hydrating (Radix renders nothing for a closed dialog there either), then the module.
  const ui = useSyncExternalStore(dialogModule.subscribe, dialogModule.get, () => null);
  const wanted = open ?? defaultOpen ?? false;
  // The latest callback, without fetching again each time a parent passes a new function.
  const onOpenChangeRef = useRef(onOpenChange);
  useEffect(() => {
    onOpenChangeRef.current = onOpenChange;
  });

  useEffect(() => dialogModule.prefetchWhenIdle(), []);
  useEffect(() => {
    if (!wanted || ui) return;
    dialogModule.load().catch(() => {
      toast.error("Couldn't open that", { description: "Check your connection and try again." });
      onOpenChangeRef.current?.(false);
    });
  }, [wanted, ui]);

  if (!ui) return null;
  return (
    <ui.Dialog open={open} defaultOpen={defaultOpen} onOpenChange={onOpenChange} {...props}>
      {children}
    </ui.Dialog>
  );
}

export function DialogContent(props: ComponentProps<typeof StyledDialogContent>) {
  // Only ever rendered inside a loaded Dialog above, so the module is here.
  const ui = dialogModule.get();
  return ui ? <ui.DialogContent {...props} /> : null;
}
