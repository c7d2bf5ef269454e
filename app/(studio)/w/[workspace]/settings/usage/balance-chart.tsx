"use client";

import { useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import type { BalanceSeries } from "@/lib/data/usage";
import { chartKeyStep, formatCredits, formatDay, formatInstant, niceCeil } from "./chart-utils";
import { plural } from "@/lib/validation/text";

const W = 600;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const H = 200;

type Point = { at: number; balance: number; series: number };

/**
 * The provider balance over the range as a step line (a balance holds until the next reading), one line per
 * connection (a new key starts a new line), extended dashed from the last reading to now. Hover, tap or use the
 * arrow keys for each reading; a sentence under the chart says where it started, ended and bottomed out.
 */
export function BalanceChart({ series, from, asOf }: { series: BalanceSeries[]; from: string; asOf: string }) {
  const descriptionId = useId();
  const gradientId = useId();
  const box = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<number | null>(null);
  const [keyboard, setKeyboard] = useState(false);

  const rangeStart = new Date(`${from}T00:00:00Z`).getTime();
  const end = new Date(asOf).getTime();
  const points: Point[] = useMemo(
    () =>
      series
        .flatMap((s, i) => s.points.map((p) => ({ at: Math.max(rangeStart, new Date(p.at).getTime()), balance: p.balance, series: i })))
        .sort((a, b) => a.at - b.at),
    [series, rangeStart],
  );
  // The time axis starts at the first reading (with a little room), so balances first read today show today's
  // detail rather than a sliver at the right edge; at least an hour is shown.
  const span = Math.max(end - (points[0]?.at ?? rangeStart), HOUR_MS);
  const start = Math.max(rangeStart, end - span * 1.05);
  const values = points.map((p) => p.balance);
  const low = Math.min(...values);
  const high = Math.max(...values);
  // Round axis ends a little outside the readings, so the line never sits on the frame.
  const step = niceCeil(Math.max(high - low, high * 0.05, 4) / 4, 1);
  const y0 = Math.max(0, Math.floor((low - step * 0.25) / step) * step);
  const y1 = Math.ceil((high + step * 0.25) / step) * step;
  const mid = Number.isInteger((y0 + y1) / 2) ? (y0 + y1) / 2 : null;
  const x = (at: number) => ((at - start) / (end - start)) * W;
  const y = (balance: number) => H - ((balance - y0) / (y1 - y0)) * H;

  const current = series.findIndex((s) => s.current);
  const colour = (i: number) => (i === current ? "rgb(var(--accent))" : "rgb(var(--muted))");
  const paths = series.map((s, i) => {
    const mine = points.filter((p) => p.series === i);
    let d = "";
    mine.forEach((p, j) => {
      d += j === 0 ? `M${x(p.at)},${y(p.balance)}` : `H${x(p.at)}V${y(p.balance)}`;
    });
    const last = mine.at(-1);
    return { d, last, first: mine[0], index: i };
  });
  const currentPath = paths[current];
  const first = points[0];
  const latest = currentPath?.last ?? points.at(-1);

  const activePoint = active === null ? null : points[active];
  const nearest = (clientX: number) => {
    const rect = box.current?.getBoundingClientRect();
    if (!rect || points.length === 0) return null;
    const at = start + ((clientX - rect.left) / rect.width) * (end - start);
    let best = 0;
    points.forEach((p, i) => {
      if (Math.abs(p.at - at) < Math.abs(points[best]!.at - at)) best = i;
    });
    return best;
  };
  const onPointer = (event: PointerEvent) => {
    setKeyboard(false);
    setActive(nearest(event.clientX));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const next = chartKeyStep(event.key, active, points.length);
    if (next === null) return;
    event.preventDefault();
    setKeyboard(true);
    setActive(next);
  };

  const summary =
    points.length === 1 && latest
      ? `One reading so far: ${plural(latest.balance, "credit")} (${formatInstant(new Date(latest.at).toISOString())}).`
      : first && latest
        ? `${series.length > 1 ? "Across keys, the" : "The"} balance went from ${formatCredits(first.balance)} to ${plural(latest.balance, "credit")}; lowest ${formatCredits(low)}.`
        : "";

  return (
    <div className="space-y-3">
      <div className="flex gap-2">
        <div className="relative h-48 w-12 shrink-0 text-right text-[11px] text-muted tabular-nums" aria-hidden="true">
          <span className="absolute top-0 right-0 -translate-y-1/2">{formatCredits(y1)}</span>
          {mid !== null ? <span className="absolute top-1/2 right-0 -translate-y-1/2">{formatCredits(mid)}</span> : null}
          <span className="absolute right-0 bottom-0 translate-y-1/2">{formatCredits(y0)}</span>
        </div>
        <div className="min-w-0 flex-1">
          <div
            ref={box}
            role="group"
            tabIndex={0}
            aria-roledescription="chart"
            aria-label="Balance over time"
            aria-describedby={descriptionId}
            onPointerMove={onPointer}
            onPointerDown={onPointer}
            onPointerLeave={() => (keyboard ? null : setActive(null))}
            onKeyDown={onKeyDown}
            onFocus={() => {
              setKeyboard(true);
              setActive((a) => a ?? points.length - 1);
            }}
            onBlur={() => {
              setKeyboard(false);
              setActive(null);
            }}
            className="relative h-48 touch-pan-y rounded-sm focus-visible:outline-offset-4"
          >
            <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="absolute inset-0 size-full overflow-visible" aria-hidden="true">
              <defs>
                <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
                  <stop offset="0%" stopColor="rgb(var(--accent))" stopOpacity="0.18" />
                  <stop offset="100%" stopColor="rgb(var(--accent))" stopOpacity="0" />
                </linearGradient>
              </defs>
              <line x1="0" x2={W} y1={0} y2={0} stroke="rgb(var(--line))" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" />
              <line x1="0" x2={W} y1={H / 2} y2={H / 2} stroke="rgb(var(--line))" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" />
              <line x1="0" x2={W} y1={H} y2={H} stroke="rgb(var(--line))" vectorEffect="non-scaling-stroke" />
              {currentPath?.first && currentPath.last ? (
                <path
                  d={`${currentPath.d}H${W}V${H}H${x(currentPath.first.at)}Z`}
                  fill={`url(#${gradientId})`}
                  stroke="none"
                />
              ) : null}
              {paths.map((p) => (
                <g key={p.index}>
                  <path d={p.d} fill="none" stroke={colour(p.index)} strokeWidth="2" strokeLinejoin="round" vectorEffect="non-scaling-stroke" />
                  {p.last && p.index === current ? (
                    <path
                      d={`M${x(p.last.at)},${y(p.last.balance)}H${W}`}
                      fill="none"
                      stroke={colour(p.index)}
                      strokeWidth="2"
                      strokeDasharray="3 4"
                      vectorEffect="non-scaling-stroke"
                    />
                  ) : null}
                </g>
              ))}
              {activePoint ? (
                <line x1={x(activePoint.at)} x2={x(activePoint.at)} y1={0} y2={H} stroke="rgb(var(--muted))" strokeOpacity="0.5" vectorEffect="non-scaling-stroke" />
              ) : null}
            </svg>
            {latest && latest !== activePoint ? (
              <span
                aria-hidden="true"
                className="pointer-events-none absolute size-2 -translate-x-1/2 -translate-y-1/2 rounded-full"
                style={{ left: `${(x(latest.at) / W) * 100}%`, top: `${(y(latest.balance) / H) * 100}%`, background: colour(latest.series) }}
              />
            ) : null}
            {activePoint ? (
              <>
                <span
                  aria-hidden="true"
                  className="pointer-events-none absolute size-2.5 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-surface"
                  style={{ left: `${(x(activePoint.at) / W) * 100}%`, top: `${(y(activePoint.balance) / H) * 100}%`, background: colour(activePoint.series) }}
                />
                <div
                  aria-hidden="true"
                  className="pointer-events-none absolute -top-2 z-10 animate-pop-in rounded-xl border border-line bg-surface px-3 py-1.5 text-[12px] whitespace-nowrap shadow-pop"
                  style={tooltipPosition(x(activePoint.at) / W)}
                >
                  <p className="font-medium tabular-nums">{formatCredits(activePoint.balance)} credits</p>
                  <p className="text-muted">{formatInstant(new Date(activePoint.at).toISOString())}</p>
                </div>
              </>
            ) : null}
          </div>
          <div className="mt-2 flex justify-between text-[11px] text-muted" aria-hidden="true">
            <span>{end - start > 2 * DAY_MS ? formatDay(new Date(start).toISOString().slice(0, 10)) : formatInstant(new Date(start).toISOString())}</span>
            <span>Now</span>
          </div>
        </div>
      </div>
      <p id={descriptionId} className="text-[12px] text-muted">
        {summary}
      </p>
      <p className="sr-only" aria-live="polite">
        {keyboard && activePoint ? `${formatInstant(new Date(activePoint.at).toISOString())}: ${plural(activePoint.balance, "credit")}` : ""}
      </p>
      {series.length > 1 ? (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-[12px]" aria-label="Legend">
          {series.map((s, i) => (
            <li key={s.connection} className="flex items-center gap-1.5">
              <span className="h-0.5 w-3 rounded-full" style={{ background: colour(i) }} aria-hidden="true" />
              {s.provider === "RENDERNET" ? "RenderNet" : "Qolaba"} · {s.current ? "current connection" : "earlier connection"}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function tooltipPosition(fraction: number): { left: string; transform: string } {
  if (fraction < 0.15) return { left: `${fraction * 100}%`, transform: "translate(-8px, -100%)" };
  if (fraction > 0.85) return { left: `${fraction * 100}%`, transform: "translate(calc(-100% + 8px), -100%)" };
  return { left: `${fraction * 100}%`, transform: "translate(-50%, -100%)" };
}
