"use client";

import { useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from "react";
import { Minus, Plus, Scan } from "lucide-react";
import { cn } from "@/lib/cn";
import type { GalleryItemDTO } from "@/lib/gallery/types";
import type { CompareRow } from "@/lib/gallery/param-rows";
import { plural } from "@/lib/validation/text";
import { Button } from "@/components/ui/button";
import { MediaImage } from "@/components/generate/media-image";
import { TOOLS_BY_ID } from "@/components/generate/tools";

const MIN_ZOOM = 1;
const MAX_ZOOM = 8;
type View = { zoom: number; x: number; y: number };
const FIT: View = { zoom: 1, x: 0, y: 0 };

/** Keeps a pan within the picture: at zoom z, the picture may move at most (z − 1) / 2 of its box each way. */
function clampView({ zoom, x, y }: View): View {
  const z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
  const limit = (z - 1) / 2;
  return { zoom: z, x: Math.min(limit, Math.max(-limit, x)), y: Math.min(limit, Math.max(-limit, y)) };
}

/**
 * 2–4 items side by side in equal boxes, one shared view: wheel or +/− zooms every picture around the same point,
 * dragging one pans them all, 0 or Fit goes back. Videos play side by side (no zoom). Below, the settings of the
 * runs that made them, a row per setting, the differing ones marked; "Only differences" hides the rest.
 */
export function CompareView({ items, rows, missing }: { items: GalleryItemDTO[]; rows: CompareRow[]; missing: number }) {
  const [view, setView] = useState<View>(FIT);
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const drag = useRef<{ pointerId: number; startX: number; startY: number; from: View; width: number; height: number } | null>(null);
  const differing = rows.filter((row) => row.differs).length;
  const shown = onlyDifferences ? rows.filter((row) => row.differs) : rows;

  const zoomBy = (factor: number, at = { x: 0.5, y: 0.5 }) =>
    setView((current) => {
      const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, current.zoom * factor));
      // The point under the pointer stays put: its offset from the centre scales with the zoom.
      const k = zoom / current.zoom;
      const px = at.x - 0.5;
      const py = at.y - 0.5;
      return clampView({ zoom, x: px - (px - current.x) * k, y: py - (py - current.y) * k });
    });

  const onWheel = (event: WheelEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    zoomBy(event.deltaY < 0 ? 1.15 : 1 / 1.15, { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height });
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (view.zoom === 1) return;
    const box = event.currentTarget.getBoundingClientRect();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, from: view, width: box.width, height: box.height };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== event.pointerId) return;
    setView(clampView({ zoom: d.from.zoom, x: d.from.x + (event.clientX - d.startX) / d.width, y: d.from.y + (event.clientY - d.startY) / d.height }));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = 0.1 / view.zoom;
    const moves: Record<string, () => void> = {
      "+": () => zoomBy(1.25),
      "=": () => zoomBy(1.25),
      "-": () => zoomBy(0.8),
      "0": () => setView(FIT),
      ArrowLeft: () => setView((v) => clampView({ ...v, x: v.x + step })),
      ArrowRight: () => setView((v) => clampView({ ...v, x: v.x - step })),
      ArrowUp: () => setView((v) => clampView({ ...v, y: v.y + step })),
      ArrowDown: () => setView((v) => clampView({ ...v, y: v.y - step })),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  const anyImage = items.some((item) => item.kind === "IMAGE");
  return (
    <div className="space-y-6">
      {missing > 0 ? (
        <p role="status" className="rounded-xl border border-line bg-surface-2/70 px-3.5 py-2.5 text-[13px] text-muted">
          {plural(missing, "item")} of the selection {missing === 1 ? "is" : "are"} no longer in this workspace and {missing === 1 ? "isn't" : "aren't"} shown.
        </p>
      ) : null}
      {anyImage ? (
        <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="Zoom">
          <Button size="sm" variant="secondary" onClick={() => zoomBy(0.8)} disabled={view.zoom <= MIN_ZOOM} aria-label="Zoom out">
            <Minus />
          </Button>
          <span className="w-14 text-center text-[13px] tabular-nums" aria-live="polite">
            {Math.round(view.zoom * 100)}%
          </span>
          <Button size="sm" variant="secondary" onClick={() => zoomBy(1.25)} disabled={view.zoom >= MAX_ZOOM} aria-label="Zoom in">
            <Plus />
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setView(FIT)} disabled={view.zoom === 1}>
            <Scan /> Fit
          </Button>
          <span className="text-[12px] text-muted max-sm:hidden">Scroll or + − to zoom, drag or arrow keys to look around, 0 to fit.</span>
        </div>
      ) : null}

      <ul className={cn("grid gap-3", items.length === 3 ? "grid-cols-2 lg:grid-cols-3" : "grid-cols-2", items.length === 4 && "xl:grid-cols-4")} aria-label="Items compared">
        {items.map((item, index) => {
          const tool = TOOLS_BY_ID[item.tool]?.name ?? "Result";
          const name = `${index + 1}: ${tool}${item.prompt ? `, ${item.prompt.slice(0, 60)}` : ""}`;
          return (
            <li key={item.id} className="min-w-0 space-y-1.5">
              <div
                role={item.kind === "IMAGE" ? "img" : undefined}
                aria-label={item.kind === "IMAGE" ? name : undefined}
                tabIndex={item.kind === "IMAGE" ? 0 : undefined}
                onWheel={item.kind === "IMAGE" ? onWheel : undefined}
                onPointerDown={item.kind === "IMAGE" ? onPointerDown : undefined}
                onPointerMove={item.kind === "IMAGE" ? onPointerMove : undefined}
                onPointerUp={() => (drag.current = null)}
                onPointerCancel={() => (drag.current = null)}
                onKeyDown={item.kind === "IMAGE" ? onKeyDown : undefined}
                className={cn(
                  "relative aspect-square touch-none overflow-hidden rounded-xl bg-[conic-gradient(var(--color-surface-2)_25%,transparent_0_50%,var(--color-surface-2)_0_75%,transparent_0)] bg-[length:16px_16px] outline-none focus-visible:ring-3 focus-visible:ring-accent",
                  view.zoom > 1 && "cursor-grab active:cursor-grabbing",
                )}
              >
                {item.kind === "VIDEO" && item.originalUrl ? (
                  <video src={item.originalUrl} poster={item.thumbUrl ?? undefined} controls playsInline loop className="size-full bg-black object-contain" aria-label={name} />
                ) : item.originalUrl ? (
                  <MediaImage
                    src={item.originalUrl}
                    alt=""
                    loading="eager"
                    className="size-full object-contain will-change-transform select-none"
                    style={{ transform: `translate(${view.x * 100}%, ${view.y * 100}%) scale(${view.zoom})` }}
                  />
                ) : (
                  <p className="grid size-full place-items-center p-4 text-center text-[13px] text-muted">No picture: this item didn&apos;t finish.</p>
                )}
                <span className="pointer-events-none absolute top-2 left-2 grid size-6 place-items-center rounded-full bg-black/55 text-[12px] font-semibold text-white">{index + 1}</span>
              </div>
              <p className="truncate text-[12px] text-muted" title={item.prompt ?? undefined}>
                {tool}
                {item.modelLabel ? ` · ${item.modelLabel}` : ""}
              </p>
            </li>
          );
        })}
      </ul>

      <section aria-labelledby="compare-settings" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="compare-settings" className="text-base font-semibold tracking-tight">
            Settings <span className="text-[13px] font-normal text-muted">· {differing === 0 ? "all the same" : `${plural(differing, "difference")}`}</span>
          </h2>
          <label className="inline-flex items-center gap-2 text-[13px]">
            <input type="checkbox" checked={onlyDifferences} onChange={(event) => setOnlyDifferences(event.target.checked)} className="size-4 accent-accent" />
            Only differences
          </label>
        </div>
        <div className="overflow-x-auto rounded-xl border border-line">
          <table className="w-full border-collapse text-left text-[13px] sm:min-w-[32rem]">
            <thead className="bg-surface-2/70 text-[12px] text-muted">
              <tr>
                <th scope="col" className="w-24 px-3 py-2 font-medium sm:w-36">
                  Setting
                </th>
                {items.map((item, index) => (
                  <th key={item.id} scope="col" className="px-3 py-2 font-medium">
                    {index + 1}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.label} className={cn("border-t border-line/70 align-top", row.differs && "bg-accent-soft/50")} data-differs={row.differs || undefined}>
                  <th scope="row" className="px-3 py-2 font-medium">
                    {row.label}
                    {row.differs ? <span className="sr-only"> (differs)</span> : null}
                  </th>
                  {row.values.map((value, index) => (
                    <td key={index} className={cn("px-3 py-2 break-words", value === null && "text-muted")}>
                      {value ?? "—"}
                    </td>
                  ))}
                </tr>
              ))}
              {shown.length === 0 ? (
                <tr>
                  <td colSpan={items.length + 1} className="px-3 py-6 text-center text-muted">
                    Every setting is the same.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
