"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { AlertTriangle, Ban, Check, Film, Images, Loader2, SearchX, Sparkles, Star, Trash2 } from "lucide-react";
import { cn } from "@/lib/cn";
import type { GalleryItemDTO } from "@/lib/gallery/types";
import { activeFilterCount, type GalleryFilters } from "@/lib/gallery/view-params";
import { MediaImage } from "@/components/generate/media-image";
import { ResultMenu } from "@/components/generate/next-steps";
import { resultDragProps } from "@/lib/generations-client/result-drag";
import { TOOLS_BY_ID, toolHref } from "@/components/generate/tools";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";

const GRID = "grid grid-cols-[repeat(auto-fill,minmax(min(44%,10.5rem),1fr))] gap-2 sm:gap-3";

/**
 * The first tiles are in view on arrival and one of them is the page's largest paint: their thumbnails load at once
 * (not lazily, which waits for layout), the first row on a phone (two tiles) at high priority. Six tiles cover the
 * first row of the widest grid.
 */
const EAGER_TILES = 6;
const HIGH_PRIORITY_TILES = 2;

/**
 * The grid: square tiles that never change size (the thumbnail fills its square), loaded page after page as the end
 * comes into view. A tile opens the detail view; its checkbox selects it (shift-click selects a range), and while
 * anything is selected a click on a tile selects it too.
 */
export function GalleryGrid({
  slug,
  filters,
  items,
  status,
  error,
  onRetry,
  hasNextPage,
  loadingMore,
  loadMore,
  selected,
  onToggle,
  onOpen,
  onClearFilters,
  canGenerate,
}: {
  slug: string;
  filters: GalleryFilters;
  items: GalleryItemDTO[];
  status: "pending" | "error" | "success";
  error: Error | null;
  onRetry: () => void;
  hasNextPage: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  selected: ReadonlySet<string>;
  onToggle: (index: number, range: boolean) => void;
  onOpen: (index: number) => void;
  onClearFilters: () => void;
  canGenerate: boolean;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !loadingMore) loadMore();
    }, { rootMargin: "800px 0px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, loadingMore, loadMore]);

  if (status === "pending") {
    return (
      <div className={GRID} aria-busy="true" aria-label="Loading the gallery">
        {Array.from({ length: 12 }, (_, i) => (
          <Skeleton key={i} className="aspect-square rounded-xl" />
        ))}
      </div>
    );
  }
  if (status === "error" && items.length === 0) {
    return (
      <EmptyState icon={AlertTriangle} title="The gallery could not be loaded" action={<Button onClick={onRetry}>Try again</Button>}>
        {error?.message ?? "Something went wrong."}
      </EmptyState>
    );
  }
  if (items.length === 0) return <Empty slug={slug} filters={filters} onClearFilters={onClearFilters} canGenerate={canGenerate} />;

  const selecting = selected.size > 0;
  return (
    <div>
      <ul className={GRID} aria-label={filters.trash ? "Trash" : "Gallery"} data-testid="gallery-grid">
        {items.map((item, index) => (
          <Tile
            key={item.id}
            item={item}
            loading={index < EAGER_TILES ? "eager" : "lazy"}
            fetchPriority={index < HIGH_PRIORITY_TILES ? "high" : undefined}
            selected={selected.has(item.id)}
            selecting={selecting}
            onToggle={(range) => onToggle(index, range)}
            onOpen={() => onOpen(index)}
            slug={slug}
            canGenerate={canGenerate}
          />
        ))}
      </ul>
      <div ref={sentinel} className="flex h-20 items-center justify-center text-[13px] text-muted">
        {loadingMore ? (
          <span className="inline-flex items-center gap-2">
            <Loader2 className="size-4 animate-spin" aria-hidden="true" /> Loading more…
          </span>
        ) : hasNextPage ? (
          <Button variant="ghost" size="sm" onClick={loadMore}>
            Load more
          </Button>
        ) : items.length > 24 ? (
          <span>That’s everything{activeFilterCount(filters) || filters.q ? " in this view" : ""}.</span>
        ) : null}
      </div>
    </div>
  );
}

function describe(item: GalleryItemDTO): string {
  const tool = TOOLS_BY_ID[item.tool]?.name ?? "Result";
  const what = item.prompt ? `: ${item.prompt.slice(0, 80)}` : "";
  const state = item.status === "READY" ? "" : item.status === "PENDING" ? " (in progress)" : item.status === "FAILED" ? " (failed)" : " (withheld by the provider)";
  return `${tool}${item.kind === "VIDEO" ? " video" : ""}${what}${state}`;
}

function duration(ms: number | null): string | null {
  if (!ms) return null;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function Tile({
  item,
  loading,
  fetchPriority,
  selected,
  selecting,
  onToggle,
  onOpen,
  slug,
  canGenerate,
}: {
  item: GalleryItemDTO;
  slug: string;
  canGenerate: boolean;
  loading: "eager" | "lazy";
  fetchPriority: "high" | undefined;
  selected: boolean;
  selecting: boolean;
  onToggle: (range: boolean) => void;
  onOpen: () => void;
}) {
  const label = describe(item);
  // A finished result still in the gallery: it can be taken on (next steps) or dragged onto a tool's input.
  const usable = item.status === "READY" && item.originalUrl !== null && item.deletedAt === null;
  return (
    <li
      className={cn(
        "group relative aspect-square overflow-hidden rounded-xl bg-surface-2 [contain-intrinsic-size:auto_180px] [content-visibility:auto]",
        selected && "ring-3 ring-accent ring-offset-2 ring-offset-canvas",
      )}
      data-media-id={item.id}
      data-selected={selected || undefined}
    >
      <button
        type="button"
        onClick={(event) => (selecting || event.shiftKey ? onToggle(event.shiftKey) : onOpen())}
        aria-label={selecting ? `Select ${label}` : `Open ${label}`}
        title={item.prompt ?? undefined}
        {...(usable ? resultDragProps(item) : { draggable: false })}
        className="absolute inset-0 focus-visible:outline-3 focus-visible:outline-offset-[-3px] focus-visible:outline-accent"
      >
        {item.thumbUrl ? (
          <MediaImage
            src={item.thumbUrl}
            alt=""
            width={item.width ?? undefined}
            height={item.height ?? undefined}
            loading={loading}
            fetchPriority={fetchPriority}
            className={cn("size-full object-cover transition-transform duration-300 group-hover:scale-[1.03]", selected && "scale-[0.97]")}
          />
        ) : (
          <Placeholder item={item} />
        )}
        {/* The clamp sits on an inner box: on the padded outer one, the third line showed through the bottom padding. */}
        <span className="pointer-events-none absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/70 to-transparent px-2.5 pt-6 pb-2 text-left text-[11px] leading-snug text-white opacity-0 transition-opacity group-hover:opacity-100 group-focus-within:opacity-100">
          <span className="line-clamp-2 break-words">{item.prompt ?? TOOLS_BY_ID[item.tool]?.name}</span>
        </span>
      </button>
      <button
        type="button"
        role="checkbox"
        aria-checked={selected}
        aria-label={`Select ${label}`}
        onClick={(event) => onToggle(event.shiftKey)}
        className={cn(
          "absolute top-2 left-2 grid size-6 place-items-center rounded-full border-2 shadow-sm transition-opacity",
          selected ? "border-accent bg-accent text-white opacity-100" : "border-white/90 bg-black/25 text-transparent hover:bg-black/40",
          selecting || selected ? "opacity-100" : "opacity-0 group-hover:opacity-100 focus-visible:opacity-100",
        )}
      >
        <Check className="size-3.5" strokeWidth={3} aria-hidden="true" />
      </button>
      <span className="pointer-events-none absolute top-2 right-2 flex gap-1">
        {item.favorite ? (
          <span className="grid size-6 place-items-center rounded-full bg-black/35 text-amber-300" title="Favourite">
            <Star className="size-3.5 fill-current" aria-label="Favourite" />
          </span>
        ) : null}
        {item.deletedAt ? (
          <span className="grid size-6 place-items-center rounded-full bg-black/35 text-white" title="In the trash">
            <Trash2 className="size-3.5" aria-hidden="true" />
          </span>
        ) : null}
      </span>
      {usable && canGenerate && !selecting ? (
        <ResultMenu
          slug={slug}
          media={item}
          label={label}
          viewHref={toolHref(slug, item.tool)}
          className="absolute right-2 bottom-2 grid size-7 place-items-center rounded-full bg-black/45 text-white opacity-0 shadow-sm backdrop-blur transition-opacity group-hover:opacity-100 hover:bg-black/65 focus-visible:opacity-100 data-[state=open]:opacity-100 [@media(hover:none)]:opacity-100"
        />
      ) : null}
      {item.kind === "VIDEO" && item.status === "READY" ? (
        <span className="pointer-events-none absolute bottom-2 left-2 inline-flex items-center gap-1 rounded-md bg-black/55 px-1.5 py-0.5 text-[11px] font-medium text-white tabular-nums group-hover:opacity-0">
          <Film className="size-3" aria-hidden="true" />
          {duration(item.durationMs) ?? "Video"}
        </span>
      ) : null}
    </li>
  );
}

function Placeholder({ item }: { item: GalleryItemDTO }) {
  const content =
    item.status === "PENDING"
      ? { icon: Loader2, text: "In progress", spin: true, tone: "text-muted" }
      : item.status === "REFUSED"
        ? { icon: Ban, text: "Withheld by the provider's safety filter", spin: false, tone: "text-danger" }
        : item.status === "FAILED"
          ? { icon: AlertTriangle, text: "Failed", spin: false, tone: "text-danger" }
          : { icon: Images, text: "No preview", spin: false, tone: "text-muted" };
  const Icon = content.icon;
  return (
    <span className={cn("flex size-full flex-col items-center justify-center gap-2 p-3 text-center text-[12px]", content.tone)}>
      <Icon className={cn("size-5", content.spin && "animate-spin")} aria-hidden="true" />
      {content.text}
    </span>
  );
}

function Empty({ slug, filters, onClearFilters, canGenerate }: { slug: string; filters: GalleryFilters; onClearFilters: () => void; canGenerate: boolean }) {
  const filtered = activeFilterCount(filters) > 0 || Boolean(filters.q);
  if (filtered) {
    return (
      <EmptyState icon={SearchX} title="Nothing matches this view" action={<Button variant="secondary" onClick={onClearFilters}>Clear filters</Button>}>
        {filters.q ? `No prompt matches “${filters.q}” with these filters.` : "Try fewer filters or a wider date range."}
      </EmptyState>
    );
  }
  if (filters.trash) {
    return (
      <EmptyState icon={Trash2} title="The trash is empty">
        Deleted items wait here until the trash is emptied, so a slip can always be undone.
      </EmptyState>
    );
  }
  return (
    <EmptyState
      icon={Sparkles}
      title="Nothing generated yet"
      action={
        canGenerate ? (
          <Button asChild>
            <Link href={`/w/${slug}/generate`}>Start generating</Link>
          </Button>
        ) : undefined
      }
    >
      Every image and video made in this workspace appears here, with its prompt and settings, for the whole team.
    </EmptyState>
  );
}
