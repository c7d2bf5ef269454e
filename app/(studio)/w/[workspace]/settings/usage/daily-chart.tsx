"use client";

import { useId, useState, type KeyboardEvent } from "react";
import { cn } from "@/lib/cn";
import type { Tool } from "@/lib/generated/prisma/enums";
import type { UsageDay } from "@/lib/data/usage";
import { chartKeyStep, edgeAwarePosition, formatCredits, formatDay, niceCeil, toolColor, toolName } from "./chart-utils";
import { plural } from "@/lib/validation/text";

/**
 * Credits per UTC day, stacked by tool. Hover or tap a day for its breakdown; the chart is also one tab stop where
 * the arrow keys (Home/End) move between days and the breakdown is announced. The same figures are available as a
 * table below the chart.
 */
export function DailyChart({ daily, tools, rangeLabel }: { daily: UsageDay[]; tools: Tool[]; rangeLabel: string }) {
  const [active, setActive] = useState<number | null>(null);
  const [keyboard, setKeyboard] = useState(false);
  const descriptionId = useId();
  const count = daily.length;
  const peak = Math.max(0, ...daily.map((d) => d.total));
  const max = niceCeil(peak);
  const ticks = Number.isInteger(max / 2) ? [max, max / 2, 0] : [max, 0];
  const labelEvery = count <= 7 ? 1 : count <= 31 ? 7 : 15;
  const labelled = daily.map((_, i) => (count - 1 - i) % labelEvery === 0);
  const activeDay = active === null ? null : daily[active];

  const onKeyDown = (event: KeyboardEvent) => {
    const next = chartKeyStep(event.key, active, count);
    if (next === null) return;
    event.preventDefault();
    setKeyboard(true);
    setActive(next);
  };

  return (
    <div className="space-y-4">
      <div className="flex gap-2">
        {/* y axis */}
        <div className="relative h-56 w-9 shrink-0 text-right text-[11px] text-muted tabular-nums" aria-hidden="true">
          {ticks.map((tick, i) => (
            <span key={tick} className="absolute right-0 -translate-y-1/2" style={{ top: `${(i / (ticks.length - 1)) * 100}%` }}>
              {formatCredits(tick)}
            </span>
          ))}
        </div>
        <div className="min-w-0 flex-1">
          <div className="relative h-56">
            {ticks.map((tick, i) => (
              <div
                key={tick}
                aria-hidden="true"
                className={cn("absolute inset-x-0 border-t", i === ticks.length - 1 ? "border-line" : "border-dashed border-line/70")}
                style={{ top: `${(i / (ticks.length - 1)) * 100}%` }}
              />
            ))}
            <div
              role="group"
              tabIndex={0}
              aria-roledescription="chart"
              aria-label={`Credits per day, ${rangeLabel}`}
              aria-describedby={descriptionId}
              onKeyDown={onKeyDown}
              onFocus={() => {
                setKeyboard(true);
                setActive((a) => a ?? count - 1);
              }}
              onBlur={() => {
                setKeyboard(false);
                setActive(null);
              }}
              onMouseLeave={() => (keyboard ? null : setActive(null))}
              className={cn("absolute inset-0 flex items-end rounded-sm focus-visible:outline-offset-4", count > 40 ? "gap-px" : count > 10 ? "gap-[3px]" : "gap-3")}
            >
              {daily.map((day, i) => (
                <div
                  key={day.day}
                  data-testid="usage-day"
                  data-day={day.day}
                  className="relative flex h-full min-w-0 flex-1 cursor-default flex-col items-center justify-end"
                  onMouseEnter={() => {
                    setKeyboard(false);
                    setActive(i);
                  }}
                  onClick={() => setActive(i)}
                >
                  <div className={cn("absolute inset-0 -mx-px rounded-md transition-colors", active === i ? "bg-ink/[0.05]" : "")} aria-hidden="true" />
                  <div
                    className={cn("relative flex w-full flex-col-reverse overflow-hidden rounded-t-[3px]", count <= 10 && "max-w-14")}
                    style={{ height: `${(day.total / max) * 100}%` }}
                    aria-hidden="true"
                  >
                    {tools
                      .map((tool) => ({ tool, credits: day.byTool.find((t) => t.tool === tool)?.credits ?? 0 }))
                      .filter((s) => s.credits > 0)
                      .map((s) => (
                        <div
                          key={s.tool}
                          className="w-full shrink-0 border-t border-surface/60 first:border-t-0"
                          style={{ height: `${(s.credits / day.total) * 100}%`, background: toolColor(s.tool) }}
                        />
                      ))}
                  </div>
                </div>
              ))}
            </div>
            {activeDay && active !== null ? <DayTooltip day={activeDay} index={active} count={count} tools={tools} /> : null}
          </div>
          {/* x axis */}
          <div className="relative mt-2 h-4 text-[11px] text-muted" aria-hidden="true">
            {daily.map((day, i) =>
              labelled[i] ? (
                <span key={day.day} className="absolute top-0 whitespace-nowrap" style={edgeAwarePosition(i, count)}>
                  {formatDay(day.day)}
                </span>
              ) : null,
            )}
          </div>
        </div>
      </div>

      <p id={descriptionId} className="sr-only">
        Use the left and right arrow keys to read each day. {plural(daily.reduce((s, d) => s + d.total, 0), "credit")} in total.
      </p>
      <p className="sr-only" aria-live="polite">
        {keyboard && activeDay ? describeDay(activeDay, tools) : ""}
      </p>

      {tools.length > 0 ? (
        <ul className="flex flex-wrap gap-x-4 gap-y-1.5 text-[12px]" aria-label="Legend">
          {tools.map((tool) => (
            <li key={tool} className="flex items-center gap-1.5">
              <span className="size-2.5 rounded-[3px]" style={{ background: toolColor(tool) }} aria-hidden="true" />
              {toolName(tool)}
            </li>
          ))}
        </ul>
      ) : null}

      <details className="group rounded-xl border border-line/70 text-[13px]">
        <summary className="cursor-pointer list-none rounded-xl px-3.5 py-2 text-muted select-none hover:text-ink [&::-webkit-details-marker]:hidden">
          <span className="group-open:hidden">Show as a table</span>
          <span className="hidden group-open:inline">Hide the table</span>
        </summary>
        <div className="max-h-72 overflow-auto border-t border-line/70">
          <table className="w-full text-left tabular-nums">
            <caption className="sr-only">Credits per day and tool, {rangeLabel} (UTC days)</caption>
            <thead className="sticky top-0 bg-surface text-[12px] text-muted">
              <tr>
                <th scope="col" className="px-3.5 py-2 font-medium">
                  Day
                </th>
                {tools.map((tool) => (
                  <th key={tool} scope="col" className="px-3.5 py-2 text-right font-medium">
                    {toolName(tool)}
                  </th>
                ))}
                <th scope="col" className="px-3.5 py-2 text-right font-medium">
                  Total
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line/60">
              {[...daily].reverse().map((day) => (
                <tr key={day.day} className={day.total === 0 ? "text-muted" : undefined}>
                  <th scope="row" className="px-3.5 py-1.5 font-normal whitespace-nowrap">
                    {formatDay(day.day, "long")}
                  </th>
                  {tools.map((tool) => (
                    <td key={tool} className="px-3.5 py-1.5 text-right">
                      {formatCredits(day.byTool.find((t) => t.tool === tool)?.credits ?? 0)}
                    </td>
                  ))}
                  <td className="px-3.5 py-1.5 text-right font-medium">{formatCredits(day.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

function describeDay(day: UsageDay, tools: Tool[]): string {
  const parts = tools
    .map((tool) => ({ tool, credits: day.byTool.find((t) => t.tool === tool)?.credits ?? 0 }))
    .filter((s) => s.credits > 0)
    .map((s) => `${toolName(s.tool)} ${formatCredits(s.credits)}`);
  return `${formatDay(day.day, "long")}: ${plural(day.total, "credit")}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

function DayTooltip({ day, index, count, tools }: { day: UsageDay; index: number; count: number; tools: Tool[] }) {
  const segments = tools
    .map((tool) => ({ tool, credits: day.byTool.find((t) => t.tool === tool)?.credits ?? 0 }))
    .filter((s) => s.credits > 0);
  return (
    <div
      aria-hidden="true"
      className="pointer-events-none absolute top-0 z-10 min-w-40 animate-pop-in rounded-xl border border-line bg-surface px-3 py-2 text-[12px] shadow-pop"
      style={edgeAwarePosition(index, count)}
    >
      <p className="font-medium">{formatDay(day.day, "long")}</p>
      {segments.length === 0 ? (
        <p className="text-muted">No credits spent</p>
      ) : (
        <ul className="mt-1 space-y-0.5">
          {segments.map((s) => (
            <li key={s.tool} className="flex items-center gap-2">
              <span className="size-2 rounded-[2px]" style={{ background: toolColor(s.tool) }} />
              <span className="flex-1 text-muted">{toolName(s.tool)}</span>
              <span className="tabular-nums">{formatCredits(s.credits)}</span>
            </li>
          ))}
          {segments.length > 1 ? (
            <li className="flex justify-between border-t border-line/70 pt-0.5 font-medium">
              <span>Total</span>
              <span className="tabular-nums">{formatCredits(day.total)}</span>
            </li>
          ) : null}
        </ul>
      )}
    </div>
  );
}
