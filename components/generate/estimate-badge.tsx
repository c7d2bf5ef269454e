"use client";

import type { ReactNode } from "react";
import { AlertCircle, Coins } from "lucide-react";
import { cn } from "@/lib/cn";
import type { ToolForm } from "@/lib/generations-client/use-tool-form";
import { Spinner } from "@/components/ui/spinner";
import { pluralWord } from "@/lib/validation/text";

/** "≈ 4 credits · balance 496", kept up to date as the form changes (see useEstimate). */
export function EstimateBadge({ estimate, provider }: { estimate: ToolForm["estimate"]; provider: "RenderNet" | "Qolaba" }) {
  const { estimate: data, stale, loading, error, incomplete } = estimate;
  let content: ReactNode;
  let tone: "muted" | "ink" | "danger" = "muted";
  if (incomplete) {
    content = "Complete the settings to see the cost";
  } else if (error) {
    content = (
      <>
        <AlertCircle className="size-3.5 shrink-0" aria-hidden="true" />
        <span className="truncate" title={error}>
          Cost unavailable: {error}
        </span>
      </>
    );
  } else if (!data) {
    content = "Estimating cost…";
  } else if (data.credits === null) {
    // Qolaba publishes no prices and no estimate endpoint: its runs are billed by the GPU time they take (the GPU is
    // chosen in the form), so say that rather than a figure we would have to invent.
    content = provider === "Qolaba" ? "Qolaba bills the GPU time this run takes." : "No estimate for this run";
  } else {
    // Past the balance or the member's budget: the reason itself is shown under Generate (the form's blockedReason).
    tone = (data.shortBy && data.shortBy > 0) || data.budget?.warning ? "danger" : "ink";
    content = (
      <>
        <Coins className="size-3.5 shrink-0" aria-hidden="true" />
        <span>
          ≈ <strong className="font-semibold tabular-nums">{data.credits.toLocaleString("en")}</strong> {pluralWord(data.credits, "credit")}
          {data.balance !== null ? (
            <span className={tone === "danger" ? undefined : "text-muted"}>
              {" "}
              · balance <span className="tabular-nums">{data.balance.toLocaleString("en")}</span>
            </span>
          ) : null}
        </span>
      </>
    );
  }
  return (
    <p
      aria-live="polite"
      aria-busy={loading || undefined}
      data-testid="estimate"
      className={cn(
        "flex min-h-5 min-w-0 items-center gap-1.5 text-[12px] transition-opacity",
        tone === "danger" ? "text-danger" : tone === "ink" ? "text-ink" : "text-muted",
        stale && data && "opacity-60",
      )}
    >
      {content}
      {loading && !incomplete ? <Spinner className="ml-auto size-3 shrink-0 text-muted" /> : null}
    </p>
  );
}
