import type { ReactNode } from "react";

/**
 * A tool page: the settings panel on the left (full height, its fields scrolling on their own) and the results on
 * the right; stacked, settings first, below the large breakpoint.
 */
export function StudioLayout({ panel, results }: { panel: ReactNode; results: ReactNode }) {
  return (
    <div className="lg:grid lg:grid-cols-[minmax(360px,420px)_minmax(0,1fr)] 2xl:grid-cols-[460px_minmax(0,1fr)]">
      <div className="border-b border-line/70 bg-canvas lg:sticky lg:top-0 lg:h-dvh lg:border-r lg:border-b-0">{panel}</div>
      <div className="min-w-0 px-4 py-6 sm:px-6 lg:px-8 lg:py-7">{results}</div>
    </div>
  );
}
