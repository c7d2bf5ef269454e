"use client";

import { useEffect, useSyncExternalStore, type ComponentType } from "react";
import { lazyModule } from "@/lib/client/lazy-module";

/**
 * A dialog component whose code (and everything only it imports) is fetched when it is first opened, not with the
 * page that holds it (issue 14: first-load JS). `isOpen` reads "open" from its props, since each dialog says it its own
 * way (`open`, a selected item, a mode). Closed, a dialog shows nothing, so until its code is here this renders nothing
 * either and nothing on the page moves; it is prefetched once the browser is idle after the page's load event, so the
 * first open is usually instant, and from then on the real component is rendered with the same props as before.
 * If the fetch fails (offline), the dialog simply does not appear and the next open tries again.
 */
export function onDemand<P extends object>(importer: () => Promise<ComponentType<P>>, isOpen: (props: P) => boolean): ComponentType<P> {
  const code = lazyModule(importer);
  function OnDemand(props: P) {
    const Component = useSyncExternalStore(code.subscribe, code.get, () => null);
    const open = isOpen(props);
    useEffect(() => code.prefetchWhenIdle(), []);
    useEffect(() => {
      if (open && !Component) void code.load().catch(() => {});
    }, [open, Component]);
    return Component ? <Component {...props} /> : null;
  }
  return OnDemand;
}
