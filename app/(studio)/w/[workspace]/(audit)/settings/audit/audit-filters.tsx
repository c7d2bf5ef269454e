"use client";

import { useSyncExternalStore } from "react";
import { X } from "lucide-react";
import { cn } from "@/lib/cn";
import { AUDIT_ACTIONS, AUDIT_GROUP_KEYS, AUDIT_GROUPS } from "@/lib/audit/actions";
import type { AuditActorDTO } from "@/lib/audit/types";
import { activeAuditFilterCount, type AuditFilters } from "@/lib/validation/audit";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";

type Change = (change: Partial<AuditFilters>) => void;

const noSubscription = () => () => undefined;

/** The audit log's filters: what happened, who did it, and a range of UTC days. Every change is a new URL. */
export function AuditFilterBar({ filters, actors, onChange }: { filters: AuditFilters; actors: AuditActorDTO[]; onChange: Change }) {
  const count = activeAuditFilterCount(filters);
  // A choice made before the page is interactive would be lost: the controls wait for hydration.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  return (
    <fieldset disabled={!hydrated} aria-label="Filters" className="flex min-w-0 flex-wrap items-center gap-2">
      <FilterSelect label="Event" value={filters.action ?? ""} onChange={(v) => onChange({ action: (v || null) as AuditFilters["action"] })}>
        <option value="">All events</option>
        {AUDIT_GROUP_KEYS.map((group) => (
          <optgroup key={group} label={AUDIT_GROUPS[group].heading}>
            <option value={group}>{AUDIT_GROUPS[group].label}</option>
            {AUDIT_GROUPS[group].actions.map((action) => (
              <option key={action} value={action}>
                {AUDIT_ACTIONS[action]}
              </option>
            ))}
          </optgroup>
        ))}
      </FilterSelect>
      <FilterSelect label="Member" value={filters.member ?? ""} onChange={(v) => onChange({ member: v || null })}>
        <option value="">Anyone</option>
        {actors.map((actor) => (
          <option key={actor.id} value={actor.id}>
            {actor.name === actor.email ? actor.email : `${actor.name} (${actor.email})`}
          </option>
        ))}
        {filters.member && !actors.some((a) => a.id === filters.member) ? <option value={filters.member}>A former member</option> : null}
      </FilterSelect>
      <DateRange from={filters.from} to={filters.to} onChange={(from, to) => onChange({ from, to })} />
      {count > 0 ? (
        <Button variant="ghost" size="sm" className="h-9" onClick={() => onChange({ action: null, member: null, from: null, to: null })}>
          <X /> Clear all
        </Button>
      ) : null}
    </fieldset>
  );
}

function FilterSelect({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: React.ReactNode }) {
  return (
    <Select
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      // The chevron is a background image: its position is restated after the tint, which would otherwise replace it.
      className={cn(
        "h-9 w-full min-w-0 text-[13px] sm:w-auto sm:max-w-64",
        value && "border-accent/50 bg-accent-soft/60 bg-[position:right_0.75rem_center]",
      )}
    >
      {children}
    </Select>
  );
}

function DateRange({ from, to, onChange }: { from: string | null; to: string | null; onChange: (from: string | null, to: string | null) => void }) {
  const input =
    "h-9 min-w-0 flex-1 rounded-xl border border-line bg-surface px-2.5 text-[13px] shadow-xs focus:border-accent focus:ring-4 focus:ring-accent/15 focus:outline-none sm:flex-none";
  return (
    <span className="inline-flex w-full items-center gap-1.5 text-[13px] text-muted sm:w-auto" title="Days in UTC">
      <input type="date" aria-label="From (UTC)" value={from ?? ""} max={to ?? undefined} onChange={(e) => onChange(e.target.value || null, to)} className={cn(input, from && "border-accent/50")} />
      <span aria-hidden="true">–</span>
      <input type="date" aria-label="To (UTC)" value={to ?? ""} min={from ?? undefined} onChange={(e) => onChange(from, e.target.value || null)} className={cn(input, to && "border-accent/50")} />
    </span>
  );
}
