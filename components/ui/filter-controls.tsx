"use client";

import type { ReactNode } from "react";
import { AlertTriangle } from "lucide-react";
import { cn } from "@/lib/cn";
import { Select } from "@/components/ui/input";

/** The compact controls of the filter bars (gallery, audit log): a select that is tinted while it filters. */
export function FilterSelect({
  label,
  value,
  onChange,
  className,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Select
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      // The chevron is a background image: its position is restated after the tint, which would otherwise replace it.
      className={cn("h-9 min-w-0 text-[13px]", className, value && "border-accent/50 bg-accent-soft/60 bg-[position:right_0.75rem_center]")}
    >
      {children}
    </Select>
  );
}

/** Two UTC day inputs, each bounding the other. */
export function DateRangeInputs({
  from,
  to,
  onChange,
  className,
  inputClassName,
}: {
  from: string | null;
  to: string | null;
  onChange: (from: string | null, to: string | null) => void;
  className?: string;
  inputClassName?: string;
}) {
  const input = cn(
    "h-9 rounded-xl border border-line bg-surface px-2.5 text-[13px] shadow-xs focus:border-accent focus:ring-4 focus:ring-accent/15 focus:outline-none",
    inputClassName,
  );
  return (
    <span className={cn("inline-flex items-center gap-1.5 text-[13px] text-muted", className)} title="Days in UTC">
      <input type="date" aria-label="From (UTC)" value={from ?? ""} max={to ?? undefined} onChange={(e) => onChange(e.target.value || null, to)} className={cn(input, from && "border-accent/50")} />
      <span aria-hidden="true">–</span>
      <input type="date" aria-label="To (UTC)" value={to ?? ""} min={from ?? undefined} onChange={(e) => onChange(from, e.target.value || null)} className={cn(input, to && "border-accent/50")} />
    </span>
  );
}

/** Says which parts of a shared link were dropped (an unknown filter value, a malformed date ...). */
export function IgnoredLinkParts({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div role="status" className="flex gap-2 rounded-xl border border-amber-500/30 bg-amber-500/10 px-4 py-3 text-[13px]">
      <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden="true" />
      <div>
        <p className="font-medium">Parts of this link were not understood and are ignored:</p>
        <ul className="mt-1 list-disc pl-4 text-muted">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
