"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { History, RotateCcw, WifiOff } from "lucide-react";
import { toast } from "@/lib/client/toast";
import type { GenerationSummary } from "@/lib/generations/types";
import type { ToolId } from "@/lib/validation/generations";
import { isActiveStatus } from "@/lib/generations-client/generation-status";
import { RECENT_GENERATIONS_LIMIT } from "@/lib/client/query-keys";
import { useHydrated } from "@/lib/client/use-hydrated";
import { useNow } from "@/lib/client/use-now";
import { useRecentGenerations } from "@/lib/generations-client/use-recent-generations";
import { submittedInThisTab } from "@/lib/generations-client/submitted-runs";
import { useCancelGeneration } from "@/lib/generations-client/use-cancel-generation";
import { useRetryGeneration } from "@/lib/generations-client/use-retry-generation";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { GenerationCard } from "@/components/generate/generation-card";
import { MediaLightbox } from "@/components/generate/on-demand-dialogs";
import { SegmentedControl } from "@/components/generate/segmented-control";
import { TOOLS_BY_ID } from "@/components/generate/tools";

/**
 * The workspace's running and recent runs, newest first. Data comes from the shared recent-runs query, which the
 * studio's activity notifier polls (fast while anything runs); results appear here as they finish.
 */
export function QueuePanel({ slug, canGenerate, tool }: { slug: string; canGenerate: boolean; tool?: ToolId }) {
  const query = useRecentGenerations(slug);
  const { retry, isRetrying } = useRetryGeneration(slug);
  const { cancel, isCancelling } = useCancelGeneration(slug);
  const [filter, setFilter] = useState<"all" | "tool">("all");
  const [lightbox, setLightbox] = useState<{ id: string; index: number } | null>(null);
  // The studio layout's activity poller starts this same query as soon as the layout hydrates; the page's part of the
  // tree hydrates after it, and its answer may be in the cache by then. Until this panel has hydrated it renders what
  // the server did (no data yet), so the first render in the browser matches the HTML whatever the timing.
  const hydrated = useHydrated();
  const data = hydrated ? query.data : undefined;
  const pending = !hydrated || query.isPending;
  const list = useMemo(() => data ?? [], [data]);
  const shown = useMemo(() => (tool && filter === "tool" ? list.filter((g) => g.tool === tool) : list), [list, tool, filter]);
  const activeCount = list.filter((g) => isActiveStatus(g.status)).length;
  const now = useNow(activeCount > 0 || list.length > 0, activeCount > 0 ? 1_000 : 30_000);
  const open = list.find((g) => g.id === lightbox?.id) ?? null;
  useRevealSubmitted(data);

  const onRetry = useCallback(
    async (generation: GenerationSummary) => {
      const result = await retry(generation.id);
      if (!result) return;
      if (result.ok) toast.success(result.data.deduplicated ? "Already retried" : "Retrying", { description: "The new run is at the top of the queue." });
      else toast.error("Couldn't retry", { description: result.error });
    },
    [retry],
  );

  const onCancel = useCallback(
    async (generation: GenerationSummary) => {
      const result = await cancel(generation.id);
      if (result && !result.ok) toast.error("Couldn't cancel", { description: result.error });
    },
    [cancel],
  );

  return (
    <section aria-labelledby="queue-heading" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2.5">
          <h2 id="queue-heading" className="text-[15px] font-semibold tracking-tight">
            Runs
          </h2>
          <span aria-live="polite" className="text-[12px] text-muted">
            {activeCount > 0 ? `${activeCount} in progress` : list.length > 1 ? `Latest ${Math.min(list.length, RECENT_GENERATIONS_LIMIT)}` : ""}
          </span>
        </div>
        {tool ? (
          <SegmentedControl
            id="queue-filter"
            labelledBy="queue-heading"
            size="sm"
            value={filter}
            onChange={setFilter}
            className="w-auto"
            options={[
              { value: "all", label: "All tools" },
              { value: "tool", label: TOOLS_BY_ID[tool].name },
            ]}
          />
        ) : null}
      </div>

      {query.isError && data ? (
        <div role="status" className="flex items-center gap-2 rounded-xl border border-line bg-surface-2 px-3 py-2 text-[12px] text-muted">
          <WifiOff className="size-3.5 shrink-0" aria-hidden="true" />
          <span className="min-w-0 flex-1">Lost touch with the server; showing the last known state. Retrying…</span>
        </div>
      ) : null}

      {pending ? (
        <div aria-busy="true" aria-label="Loading runs" className="space-y-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-44" />
          ))}
        </div>
      ) : query.isError && !data ? (
        <div role="alert" className="flex flex-col items-center gap-3 rounded-2xl border border-danger/30 bg-danger-soft px-6 py-10 text-center">
          <p className="text-sm font-medium text-danger">Couldn&apos;t load the runs</p>
          <p className="max-w-sm text-[13px] text-danger/80">{query.error.message}</p>
          <Button size="sm" variant="secondary" onClick={() => void query.refetch()} loading={query.isFetching}>
            <RotateCcw /> Try again
          </Button>
        </div>
      ) : shown.length === 0 ? (
        <div className="flex flex-col items-center rounded-2xl border border-dashed border-line px-6 py-14 text-center">
          <div className="mb-3 grid size-11 place-items-center rounded-2xl bg-accent-soft text-accent">
            <History className="size-5" aria-hidden="true" />
          </div>
          <p className="text-sm font-semibold">{list.length === 0 ? "No runs yet" : `No ${TOOLS_BY_ID[tool!].name} runs among the latest ${RECENT_GENERATIONS_LIMIT}`}</p>
          <p className="mt-1 max-w-sm text-[13px] text-muted">
            {list.length === 0
              ? canGenerate
                ? "Runs from everyone in the workspace show up here with their status, and results appear as they finish."
                : "When members of this workspace generate, their runs and results show up here."
              : "Switch to All tools to see the rest."}
          </p>
        </div>
      ) : (
        <ol className="space-y-3">
          {shown.map((generation) => (
            <li key={generation.id} data-run-id={generation.id} className="scroll-mt-28 scroll-mb-24 lg:scroll-mt-8 lg:scroll-mb-8">
              <GenerationCard
                slug={slug}
                generation={generation}
                now={now}
                canGenerate={canGenerate}
                retrying={isRetrying(generation.id)}
                onRetry={() => void onRetry(generation)}
                cancelling={isCancelling(generation.id)}
                onCancel={() => void onCancel(generation)}
                onOpen={(index) => setLightbox({ id: generation.id, index })}
              />
            </li>
          ))}
        </ol>
      )}

      <MediaLightbox
        slug={slug}
        canGenerate={canGenerate}
        generation={open}
        index={lightbox?.index ?? 0}
        onIndexChange={(index) => setLightbox((l) => (l ? { ...l, index } : l))}
        onClose={() => setLightbox(null)}
      />
    </section>
  );
}

/**
 * Brings a run this tab just started (Generate, Retry, Vary) into view as soon as the queue lists it. Below the large
 * breakpoint the queue sits under the form, so the new card would otherwise appear far below the fold with only a
 * toast saying anything happened; where the card is already fully visible (beside the form on a wide screen) nothing
 * moves. The card's scroll margins keep it clear of the phone's sticky header and of a toast at the top.
 */
function useRevealSubmitted(list: GenerationSummary[] | undefined) {
  const seen = useRef<ReadonlySet<string> | null>(null);
  useEffect(() => {
    if (!list) return;
    const before = seen.current;
    seen.current = new Set(list.map((g) => g.id));
    // The first list is what was there already, not something just started.
    if (!before) return;
    const submitted = submittedInThisTab();
    const fresh = list.find((g) => !before.has(g.id) && submitted.has(g.id));
    const card = fresh ? document.querySelector(`[data-run-id="${CSS.escape(fresh.id)}"]`) : null;
    if (!card) return;
    const box = card.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= window.innerHeight) return;
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    card.scrollIntoView({ block: "start", behavior: reduced ? "auto" : "smooth" });
  }, [list]);
}
