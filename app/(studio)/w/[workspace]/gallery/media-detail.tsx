"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, type PointerEvent as ReactPointerEvent } from "react";
import { Dialog as Primitive } from "radix-ui";
import {
  ArrowRight,
  ChevronLeft,
  ChevronRight,
  Columns2,
  Copy,
  Download,
  FolderInput,
  Loader2,
  RotateCcw,
  SlidersHorizontal,
  Star,
  Trash2,
  X,
} from "lucide-react";
import { toast } from "@/lib/client/toast";
import { cn } from "@/lib/cn";
import type { GalleryItemDTO, MediaDetailDTO } from "@/lib/gallery/types";
import { chargeLabel } from "@/lib/generations-client/charge-label";
import { useMediaDetail } from "@/lib/gallery-client/use-gallery";
import { useHydrated } from "@/lib/client/use-hydrated";
import type { GalleryActions } from "@/lib/gallery-client/use-gallery-actions";
import { seedOf } from "@/lib/generations/seeds";
import { MediaImage } from "@/components/generate/media-image";
import { NextSteps } from "@/components/generate/next-steps";
import { SameSeedLink } from "@/components/generate/run-again";
import { SeedChip } from "@/components/generate/seed-chip";
import { StatusChip } from "@/components/generate/status-chip";
import { TOOLS_BY_ID, toolHref } from "@/components/generate/tools";
import { paramRows } from "@/lib/gallery/param-rows";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { GalleryPermissions } from "./gallery-permissions";

/**
 * Times read the same wherever they are rendered: English, and UTC until the browser has hydrated (a server and a
 * browser in different time zones would otherwise print different text); then the viewer's own zone, with the full
 * date and zone on hover.
 */
const utcTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const localTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const fullTime = new Intl.DateTimeFormat("en", { dateStyle: "full", timeStyle: "long" });

function LocalTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={hydrated ? fullTime.format(date) : undefined}>
      {hydrated ? localTime.format(date) : `${utcTime.format(date)} UTC`}
    </time>
  );
}

/** A swipe: mostly sideways and at least this far, so a vertical scroll of the sheet or a tap never changes item. */
const SWIPE_MIN_PX = 60;
/** A video's native controls (the scrubber) sit in about this much of its bottom edge; a drag there is not a swipe. */
const VIDEO_CONTROLS_PX = 56;

/**
 * Horizontal swipes of a finger or pen on the stage step to the next or previous item. Mouse drags are left alone
 * (desktop has the arrows and ← →). The stage sets `touch-action: pan-y pinch-zoom`, so the browser keeps vertical
 * scrolling and zoom and hands sideways moves to these pointer events instead of cancelling them.
 */
function useSwipe(onSwipe: (direction: "next" | "previous") => void) {
  const start = useRef<{ id: number; x: number; y: number } | null>(null);
  return {
    onPointerDown(event: ReactPointerEvent<HTMLElement>) {
      start.current = null;
      if (event.pointerType === "mouse" || !event.isPrimary) return;
      const target = event.target as HTMLElement;
      if (target.tagName === "VIDEO" && event.clientY > target.getBoundingClientRect().bottom - VIDEO_CONTROLS_PX) return;
      start.current = { id: event.pointerId, x: event.clientX, y: event.clientY };
    },
    onPointerUp(event: ReactPointerEvent<HTMLElement>) {
      const from = start.current;
      start.current = null;
      if (!from || from.id !== event.pointerId) return;
      const dx = event.clientX - from.x;
      const dy = event.clientY - from.y;
      if (Math.abs(dx) < SWIPE_MIN_PX || Math.abs(dx) < Math.abs(dy) * 1.5) return;
      onSwipe(dx < 0 ? "next" : "previous");
    },
    onPointerCancel() {
      start.current = null;
    },
  };
}

/**
 * The detail view: the full image or a playable video beside everything about it. ← → step through the loaded view
 * (the next page loads when the end is reached), F favourites, Delete moves it to the trash, Esc closes. On a phone it
 * is a full-screen sheet: the picture on top, the details scrolling below it, a swipe steps through the view, and the
 * everyday actions (download, favourite, delete) sit in a bar at the bottom that never scrolls away.
 */
export function MediaDetailDialog({
  slug,
  openId,
  items,
  hasNextPage,
  loadMore,
  boards,
  permissions,
  actions,
  onOpen,
}: {
  slug: string;
  openId: string | null;
  items: GalleryItemDTO[];
  hasNextPage: boolean;
  loadMore: () => void;
  boards: { id: string; name: string }[];
  permissions: GalleryPermissions;
  actions: GalleryActions;
  onOpen: (id: string | null) => void;
}) {
  const detail = useMediaDetail(slug, openId);
  const index = openId ? items.findIndex((item) => item.id === openId) : -1;
  const listed = index >= 0 ? items[index] : undefined;
  const item = detail.data?.item.id === openId ? { ...detail.data.item, ...listed } : listed;
  const previous = index > 0 ? items[index - 1] : undefined;
  const next = index >= 0 ? items[index + 1] : undefined;

  useEffect(() => {
    // Near the end of what is loaded: fetch the next page so → keeps going.
    if (index >= 0 && index >= items.length - 3 && hasNextPage) loadMore();
  }, [index, items.length, hasNextPage, loadMore]);

  const trashAndMove = () => {
    if (!item) return;
    const after = next ?? previous;
    void actions.trash([item.id]);
    onOpen(after?.id ?? null);
  };

  useEffect(() => {
    if (!openId) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "VIDEO" || target.isContentEditable)) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === "ArrowRight" && next) onOpen(next.id);
      else if (event.key === "ArrowLeft" && previous) onOpen(previous.id);
      else if ((event.key === "f" || event.key === "F") && item && permissions.organize && !item.deletedAt) void actions.favorite([item.id], !item.favorite);
      else if ((event.key === "Delete" || event.key === "Backspace") && item && permissions.organize && !item.deletedAt) trashAndMove();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const swipe = useSwipe((direction) => {
    const to = direction === "next" ? next : previous;
    if (to) onOpen(to.id);
  });

  const open = openId !== null;
  return (
    <Primitive.Root open={open} onOpenChange={(value) => (value ? null : onOpen(null))}>
      <Primitive.Portal>
        <Primitive.Overlay className="fixed inset-0 z-50 animate-fade-in bg-black/80 backdrop-blur-sm" />
        <Primitive.Content
          aria-describedby={undefined}
          className="fixed inset-0 z-50 flex flex-col bg-canvas focus:outline-none lg:inset-4 lg:overflow-hidden lg:rounded-2xl lg:border lg:border-line lg:shadow-pop"
        >
          <Primitive.Title className="sr-only">{item?.prompt ?? (item ? TOOLS_BY_ID[item.tool]?.name : "Item")}</Primitive.Title>
          <div className="flex min-h-0 flex-1 flex-col overflow-y-auto overscroll-contain lg:flex-row lg:overflow-hidden">
            <div
              {...swipe}
              data-testid="detail-stage"
              className="relative flex h-[60dvh] shrink-0 [touch-action:pan-y_pinch-zoom] items-center justify-center bg-black lg:h-auto lg:flex-1 lg:shrink"
            >
              {!item && detail.isPending ? <Loader2 className="size-6 animate-spin text-white/70" aria-label="Loading" /> : null}
              {!item && detail.isError ? <p className="px-6 text-center text-sm text-white/80">{detail.error.message}</p> : null}
              {item ? <Stage item={item} /> : null}
              {previous ? <Nav side="left" onClick={() => onOpen(previous.id)} /> : null}
              {next ? <Nav side="right" onClick={() => onOpen(next.id)} /> : null}
              <Primitive.Close
                aria-label="Close (Esc)"
                className="absolute top-3 right-3 grid size-9 place-items-center rounded-full bg-black/50 text-white hover:bg-black/70 lg:hidden"
              >
                <X className="size-4" />
              </Primitive.Close>
            </div>
            <aside className="flex w-full shrink-0 flex-col border-line bg-surface lg:w-[380px] lg:border-l">
              <div className="flex items-center justify-between gap-2 border-b border-line/70 px-5 py-3">
                <p className="text-[13px] text-muted tabular-nums">
                  {index >= 0 ? `${(index + 1).toLocaleString("en")} of ${items.length.toLocaleString("en")}${hasNextPage ? "+" : ""}` : "Detail"}
                </p>
                <Primitive.Close aria-label="Close (Esc)" className="hidden rounded-lg p-1.5 text-muted hover:bg-surface-2 hover:text-ink lg:block">
                  <X className="size-4" />
                </Primitive.Close>
              </div>
              <div className="flex-1 space-y-5 px-5 py-4 lg:overflow-y-auto">
                {item ? (
                  <ActionsRow slug={slug} item={item} detail={detail.data ?? null} boards={boards} permissions={permissions} actions={actions} onTrash={trashAndMove} onPurged={() => onOpen(next?.id ?? previous?.id ?? null)} />
                ) : null}
                {detail.data && detail.data.item.id === openId ? <Details slug={slug} detail={detail.data} onOpen={onOpen} /> : detail.isPending ? <DetailsSkeleton /> : null}
              </div>
              <p className="hidden border-t border-line/70 px-5 py-2.5 text-[11px] text-muted lg:block">
                <Kbd>←</Kbd> <Kbd>→</Kbd> browse · <Kbd>F</Kbd> favourite · <Kbd>Del</Kbd> delete · <Kbd>Esc</Kbd> close
              </p>
            </aside>
          </div>
          {item ? (
            <div
              role="toolbar"
              aria-label="Item actions"
              className="flex shrink-0 items-center justify-around gap-1 border-t border-line bg-surface px-2 pt-2 pb-[calc(0.5rem+env(safe-area-inset-bottom))] lg:hidden"
            >
              <EverydayActions item={item} permissions={permissions} actions={actions} onTrash={trashAndMove} onPurged={() => onOpen(next?.id ?? previous?.id ?? null)} />
            </div>
          ) : null}
        </Primitive.Content>
      </Primitive.Portal>
    </Primitive.Root>
  );
}

function Stage({ item }: { item: GalleryItemDTO }) {
  if (!item.originalUrl) {
    return (
      <div className="space-y-3 px-6 text-center text-white/80">
        <StatusChip status={item.status === "PENDING" ? "RUNNING" : item.status === "READY" ? "SUCCEEDED" : item.status} />
        <p className="text-sm">{item.status === "PENDING" ? "Still being made." : "This result has no file."}</p>
      </div>
    );
  }
  if (item.kind === "VIDEO") {
    return (
      <video
        key={item.id}
        src={item.originalUrl}
        poster={item.thumbUrl ?? undefined}
        controls
        autoPlay
        loop
        playsInline
        className="max-h-full w-full object-contain lg:h-full"
      />
    );
  }
  return (
    <>
      {item.thumbUrl ? (
        <MediaImage src={item.thumbUrl} alt="" aria-hidden="true" loading="eager" className="absolute inset-0 size-full object-contain" />
      ) : null}
      <MediaImage key={item.id} src={item.originalUrl} alt={item.prompt ?? "Generated image"} loading="eager" className="relative size-full object-contain" />
    </>
  );
}

function Nav({ side, onClick }: { side: "left" | "right"; onClick: () => void }) {
  const Icon = side === "left" ? ChevronLeft : ChevronRight;
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={side === "left" ? "Previous (←)" : "Next (→)"}
      className={cn(
        "absolute top-1/2 grid size-10 -translate-y-1/2 place-items-center rounded-full bg-black/45 text-white backdrop-blur transition hover:bg-black/70",
        side === "left" ? "left-3" : "right-3",
      )}
    >
      <Icon className="size-5" />
    </button>
  );
}

function ActionsRow({
  slug,
  item,
  detail,
  boards,
  permissions,
  actions,
  onTrash,
  onPurged,
}: {
  slug: string;
  item: GalleryItemDTO;
  detail: MediaDetailDTO | null;
  boards: { id: string; name: string }[];
  permissions: GalleryPermissions;
  actions: GalleryActions;
  onTrash: () => void;
  onPurged: () => void;
}) {
  // Below lg the everyday actions live in the sheet's bottom bar (EverydayActions), so they are hidden here.
  if (item.deletedAt) {
    return (
      <div className="flex flex-wrap gap-2 max-lg:hidden">
        <EverydayActions item={item} permissions={permissions} actions={actions} onTrash={onTrash} onPurged={onPurged} />
      </div>
    );
  }
  return (
    <div className="flex flex-wrap gap-2">
      {item.originalUrl ? <DownloadButton item={item} className="max-lg:hidden" /> : null}
      {permissions.organize ? <FavouriteButton item={item} actions={actions} className="max-lg:hidden" /> : null}
      {permissions.generate ? (
        <>
          <Button asChild size="sm" variant="secondary">
            <Link href={toolHref(slug, item.tool, item.generationId)}>
              <SlidersHorizontal /> Reuse settings
            </Link>
          </Button>
          {item.originalUrl ? <NextSteps slug={slug} media={item} viewHref={toolHref(slug, item.tool)} /> : null}
          <SameSeedLink slug={slug} generationId={item.generationId} tool={item.tool} variant="secondary" />
        </>
      ) : null}
      {permissions.organize ? (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button size="sm" variant="secondary">
              <FolderInput /> {detail?.board && item.boardId === detail.board.id ? detail.board.name : item.boardId ? (boards.find((b) => b.id === item.boardId)?.name ?? "Board") : "Add to board"}
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="start" className="max-h-72 min-w-48 overflow-y-auto">
            {boards.length === 0 ? <p className="px-2.5 py-2 text-[13px] text-muted">No boards yet.</p> : null}
            {boards.map((board) => (
              <DropdownMenuItem key={board.id} disabled={board.id === item.boardId} onSelect={() => void actions.move([item.id], board.id)}>
                {board.name}
              </DropdownMenuItem>
            ))}
            {item.boardId ? (
              <>
                <DropdownMenuSeparator />
                <DropdownMenuItem onSelect={() => void actions.move([item.id], null)}>Take out of its board</DropdownMenuItem>
              </>
            ) : null}
          </DropdownMenuContent>
        </DropdownMenu>
      ) : null}
      {permissions.organize ? <TrashButton onTrash={onTrash} className="max-lg:hidden" /> : null}
    </div>
  );
}

type EverydayProps = {
  item: GalleryItemDTO;
  permissions: GalleryPermissions;
  actions: GalleryActions;
  onTrash: () => void;
  onPurged: () => void;
};

/** Download, favourite and delete (restore and delete forever in the trash): the phone sheet's bottom bar. */
function EverydayActions({ item, permissions, actions, onTrash, onPurged }: EverydayProps) {
  if (item.deletedAt) {
    return (
      <>
        {permissions.organize ? (
          <Button size="sm" onClick={() => void actions.restore([item.id]).then(onPurged)}>
            <RotateCcw /> Restore
          </Button>
        ) : null}
        {permissions.emptyTrash ? (
          <Button size="sm" variant="danger-ghost" onClick={() => void actions.purge([item.id]).then(onPurged)}>
            <Trash2 /> Delete forever
          </Button>
        ) : null}
      </>
    );
  }
  return (
    <>
      {item.originalUrl ? <DownloadButton item={item} /> : null}
      {permissions.organize ? <FavouriteButton item={item} actions={actions} /> : null}
      {permissions.organize ? <TrashButton onTrash={onTrash} /> : null}
    </>
  );
}

function DownloadButton({ item, className }: { item: GalleryItemDTO; className?: string }) {
  return (
    <Button asChild size="sm" className={className}>
      <a href={`${item.originalUrl}?download=1`} download>
        <Download /> Download
      </a>
    </Button>
  );
}

function FavouriteButton({ item, actions, className }: { item: GalleryItemDTO; actions: GalleryActions; className?: string }) {
  return (
    <Button
      size="sm"
      variant="secondary"
      aria-pressed={item.favorite}
      onClick={() => void actions.favorite([item.id], !item.favorite)}
      className={cn(item.favorite && "text-amber-600 dark:text-amber-300", className)}
    >
      <Star className={item.favorite ? "fill-current" : undefined} /> {item.favorite ? "Favourited" : "Favourite"}
    </Button>
  );
}

function TrashButton({ onTrash, className }: { onTrash: () => void; className?: string }) {
  return (
    <Button size="sm" variant="danger-ghost" onClick={onTrash} className={className}>
      <Trash2 /> Delete
    </Button>
  );
}

/** "Charged 4 credits for 2 results", "Not charged", "Refunded", "Charge unknown", with how that is known on hover. */
function CostLine({ generation }: { generation: MediaDetailDTO["generation"] }) {
  const { text, detail } = chargeLabel(generation);
  const charged = generation.charge.credits !== null && generation.charge.credits > 0 && generation.outputs > 1;
  return (
    <span title={detail} data-testid="detail-charge">
      {text}
      {charged ? ` for ${generation.outputs} results` : ""}
    </span>
  );
}

function Details({ slug, detail, onOpen }: { slug: string; detail: MediaDetailDTO; onOpen: (id: string) => void }) {
  const { item, generation } = detail;
  const tool = TOOLS_BY_ID[generation.tool];
  const params = useMemo(() => paramRows(generation.params, HIDDEN_PARAMS), [generation.params]);
  const seed = seedOf(generation.tool, generation.params);
  const facts: [string, React.ReactNode][] = [
    ["Tool", `${tool?.name ?? generation.tool} · ${generation.provider === "RENDERNET" ? "RenderNet" : "Qolaba"}`],
    ["Model", item.modelLabel],
    ["Made by", generation.createdBy?.name ?? "A former member"],
    ["Created", <LocalTime key="t" iso={generation.createdAt} />],
    ["Cost", <CostLine key="c" generation={generation} />],
    ["Size", [item.width && item.height ? `${item.width} × ${item.height}` : null, detail.bytes ? formatBytes(detail.bytes) : null, item.durationMs ? `${(item.durationMs / 1000).toFixed(1)} s` : null].filter(Boolean).join(" · ") || null],
    ["Result", generation.outputs > 1 ? `${generation.position} of ${generation.outputs}` : null],
    [
      "Seed",
      seed === undefined ? null : seed === null ? (
        "Random, not recorded (an older run)"
      ) : (
        <span key="s" className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
          <SeedChip seed={seed} batch={generation.outputs} />
          {generation.outputs > 1 ? <span className="text-[12px] text-muted">one seed for all {generation.outputs} results of the run</span> : null}
        </span>
      ),
    ],
    ["Board", detail.board?.name ?? null],
    [
      "Deleted",
      item.deletedAt ? (
        <span key="d">
          <LocalTime iso={item.deletedAt} />
          {detail.deletedBy ? ` by ${detail.deletedBy}` : ""}
        </span>
      ) : null,
    ],
  ];
  return (
    <div className="space-y-5">
      {item.prompt ? (
        <section className="space-y-1.5">
          <div className="flex items-center justify-between">
            <h3 className="text-[12px] font-semibold tracking-wide text-muted uppercase">Prompt</h3>
            <button
              type="button"
              className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-[12px] text-muted hover:bg-surface-2 hover:text-ink"
              onClick={() => void navigator.clipboard.writeText(item.prompt ?? "").then(() => toast.success("Prompt copied"))}
            >
              <Copy className="size-3.5" aria-hidden="true" /> Copy
            </button>
          </div>
          <p className="text-[14px] leading-relaxed break-words whitespace-pre-wrap">{item.prompt}</p>
        </section>
      ) : null}
      {generation.errorMessage && item.status !== "READY" ? <p className="rounded-xl bg-danger-soft px-3 py-2 text-[13px] text-danger">{generation.errorMessage}</p> : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-[13px]">
        {facts
          .filter(([, value]) => value !== null && value !== undefined && value !== "")
          .map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted">{label}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
      </dl>
      {detail.input || detail.derived.length > 0 ? (
        <section className="space-y-2">
          <h3 className="text-[12px] font-semibold tracking-wide text-muted uppercase">Lineage</h3>
          {detail.input ? (
            <div className="space-y-1.5">
              <p className="text-[12px] text-muted">Made from</p>
              {detail.input.type === "media" ? (
                <Thumb item={detail.input.item} onOpen={onOpen} />
              ) : detail.input.type === "asset" ? (
                <Link href={`/w/${slug}/assets`} className="flex items-center gap-2 rounded-xl border border-line p-1.5 pr-3 text-[13px] hover:bg-surface-2">
                  {detail.input.thumbUrl ? <MediaImage src={detail.input.thumbUrl} alt="" className="size-12 rounded-lg object-cover" /> : null}
                  <span className="truncate">Uploaded file “{detail.input.name}”</span>
                </Link>
              ) : (
                <p className="text-[13px] text-muted italic">An input that has since been deleted.</p>
              )}
              {detail.input.type !== "gone" && detail.item.kind === "IMAGE" && detail.item.originalUrl ? (
                <Link
                  href={`/w/${slug}/gallery/compare?input=${encodeURIComponent(detail.item.id)}`}
                  className="inline-flex items-center gap-1.5 text-[13px] font-medium text-accent hover:underline"
                >
                  <Columns2 className="size-3.5" aria-hidden="true" /> Compare before and after
                </Link>
              ) : null}
            </div>
          ) : null}
          {detail.derived.length > 0 ? (
            <div className="space-y-1.5">
              <p className="inline-flex items-center gap-1 text-[12px] text-muted">
                Used to make <ArrowRight className="size-3" aria-hidden="true" /> {detail.derived.length}
              </p>
              <div className="flex flex-wrap gap-1.5">
                {detail.derived.map((derived) => (
                  <Thumb key={derived.id} item={derived} onOpen={onOpen} />
                ))}
              </div>
            </div>
          ) : null}
        </section>
      ) : null}
      {params.length > 0 ? (
        <details className="group rounded-xl border border-line" open>
          <summary className="cursor-pointer list-none px-3 py-2 text-[12px] font-semibold tracking-wide text-muted uppercase marker:hidden">Settings</summary>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 border-t border-line/70 px-3 py-2.5 text-[13px]">
            {params.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted">{label}</dt>
                <dd className="min-w-0 break-words">{value}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </div>
  );
}

function Thumb({ item, onOpen }: { item: GalleryItemDTO; onOpen: (id: string) => void }) {
  return (
    <button
      type="button"
      onClick={() => onOpen(item.id)}
      title={item.prompt ?? TOOLS_BY_ID[item.tool]?.name}
      aria-label={`Open ${TOOLS_BY_ID[item.tool]?.name ?? "item"}${item.prompt ? `: ${item.prompt.slice(0, 60)}` : ""}`}
      className="size-14 overflow-hidden rounded-lg bg-surface-2 ring-accent hover:ring-2 focus-visible:ring-2 focus-visible:outline-none"
    >
      {item.thumbUrl ? <MediaImage src={item.thumbUrl} alt="" className="size-full object-cover" /> : null}
    </button>
  );
}

function DetailsSkeleton() {
  return (
    <div className="space-y-3" aria-hidden="true">
      {[80, 60, 70, 50].map((w) => (
        <div key={w} className="h-4 animate-pulse rounded bg-surface-2" style={{ width: `${w}%` }} />
      ))}
    </div>
  );
}

function Kbd({ children }: { children: React.ReactNode }) {
  return <kbd className="rounded border border-line bg-surface-2 px-1 font-sans text-[10px]">{children}</kbd>;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Shown elsewhere: the prompt above, the seed among the facts. */
const HIDDEN_PARAMS = new Set(["prompt", "seed"]);
