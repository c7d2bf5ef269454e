import type { Tool } from "@/lib/generated/prisma/enums";
import { TOOLS_BY_ID } from "@/components/generate/tools";

/** Small helpers shared by the usage charts (plain SVG/CSS: no chart library for four simple charts). */

/** Each tool's colour: its picker hue, saturated enough to tell stacked segments apart in light and dark. */
export const toolColor = (tool: Tool) => `hsl(${TOOLS_BY_ID[tool].hue} 70% 58%)`;
export const toolName = (tool: Tool) => TOOLS_BY_ID[tool].name;

/** The smallest "round" number (1, 2, 2.5, 5 × 10^k) at or above `value`, for an axis maximum. */
export function niceCeil(value: number, minimum = 4): number {
  const target = Math.max(value, minimum);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= target) return step * power;
  return 10 * power;
}

export const formatCredits = (n: number) => n.toLocaleString("en");

const dayFormats = {
  short: new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }),
  long: new Intl.DateTimeFormat("en-US", { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" }),
  time: new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" }),
};

/** "Mar 10" or "Tue, Mar 10" for a YYYY-MM-DD day (UTC). */
export function formatDay(day: string, style: "short" | "long" = "short"): string {
  return dayFormats[style].format(new Date(`${day}T00:00:00Z`));
}

/** "Mar 10, 14:05 UTC" for an ISO instant. */
export function formatInstant(iso: string): string {
  return `${dayFormats.time.format(new Date(iso))} UTC`;
}

/** Where a label centred on column `index` of `count` sits, kept inside the chart at both ends. */
export function edgeAwarePosition(index: number, count: number): { left: string; transform: string } {
  const centre = (index + 0.5) / count;
  if (centre < 0.12) return { left: `${(index / count) * 100}%`, transform: "none" };
  if (centre > 0.88) return { left: `${((index + 1) / count) * 100}%`, transform: "translateX(-100%)" };
  return { left: `${centre * 100}%`, transform: "translateX(-50%)" };
}

/** The point a chart's arrow, Home or End key moves to from `current` (of `count` points), or null for other keys. */
export function chartKeyStep(key: string, current: number | null, count: number): number | null {
  const last = count - 1;
  const now = current ?? last;
  if (key === "ArrowLeft") return Math.max(0, now - 1);
  if (key === "ArrowRight") return Math.min(last, now + 1);
  if (key === "Home") return 0;
  if (key === "End") return last;
  return null;
}
