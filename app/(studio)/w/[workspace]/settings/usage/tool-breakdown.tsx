import type { UsageDTO } from "@/lib/data/usage";
import { formatCredits, toolColor, toolName } from "./chart-utils";
import { plural } from "@/lib/validation/text";

/** Credits per tool over the range, as bars relative to the whole, with each tool's share and run count. */
export function ToolBreakdown({ tools, total, uncreditedRuns }: Pick<UsageDTO, "tools" | "total" | "uncreditedRuns">) {
  return (
    <div className="space-y-4">
      {tools.length === 0 ? (
        <p className="py-6 text-center text-[13px] text-muted">No tool has spent credits in this period.</p>
      ) : (
        <ul className="space-y-4" aria-label="Credits per tool">
          {tools.map((t) => {
            const share = total > 0 ? t.credits / total : 0;
            return (
              <li key={t.tool} className="space-y-1.5">
                <div className="flex items-baseline justify-between gap-3 text-[13px]">
                  <span className="flex min-w-0 items-center gap-2">
                    <span className="size-2.5 shrink-0 rounded-[3px]" style={{ background: toolColor(t.tool) }} aria-hidden="true" />
                    <span className="truncate font-medium">{toolName(t.tool)}</span>
                    <span className="shrink-0 text-[12px] text-muted">{plural(t.runs, "run")}</span>
                  </span>
                  <span className="shrink-0 tabular-nums">
                    {formatCredits(t.credits)} <span className="text-muted">· {Math.round(share * 100)}%</span>
                  </span>
                </div>
                <div className="h-2 rounded-full bg-surface-2" aria-hidden="true">
                  <div className="h-full rounded-full" style={{ width: `max(${share * 100}%, 0.375rem)`, background: toolColor(t.tool) }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {uncreditedRuns > 0 ? (
        <p className="rounded-xl bg-surface-2/70 px-3.5 py-2.5 text-[12px] text-muted">
          Plus {plural(uncreditedRuns, "run")} whose charge is not known (Qolaba bills GPU time rather than credits), so they are not counted here.
        </p>
      ) : null}
    </div>
  );
}
