"use client";

import { useSyncExternalStore } from "react";
import { X } from "lucide-react";
import { AUDIT_ACTIONS, AUDIT_GROUP_KEYS, AUDIT_GROUPS } from "@/lib/validation/audit-actions";
import type { AuditActorDTO } from "@/lib/audit/types";
import { activeAuditFilterCount, type AuditFilters } from "@/lib/validation/audit";
import { Button } from "@/components/ui/button";
import { DateRangeInputs, FilterSelect } from "@/components/ui/filter-controls";

type Change = (change: Partial<AuditFilters>) => void;

const noSubscription = () => () => undefined;

/** The audit log's filters: what happened, who did it, and a range of UTC days. Every change is a new URL. */
export function AuditFilterBar({ filters, actors, onChange }: { filters: AuditFilters; actors: AuditActorDTO[]; onChange: Change }) {
  const count = activeAuditFilterCount(filters);
  // A choice made before the page is interactive would be lost: the controls wait for hydration.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  return (
    <fieldset disabled={!hydrated} aria-label="Filters" className="flex min-w-0 flex-wrap items-center gap-2">
      <FilterSelect className="w-full sm:w-auto sm:max-w-64" label="Event" value={filters.action ?? ""} onChange={(v) => onChange({ action: (v || null) as AuditFilters["action"] })}>
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
      <FilterSelect className="w-full sm:w-auto sm:max-w-64" label="Member" value={filters.member ?? ""} onChange={(v) => onChange({ member: v || null })}>
        <option value="">Anyone</option>
        {actors.map((actor) => (
          <option key={actor.id} value={actor.id}>
            {actor.name === actor.email ? actor.email : `${actor.name} (${actor.email})`}
          </option>
        ))}
        {filters.member && !actors.some((a) => a.id === filters.member) ? <option value={filters.member}>A former member</option> : null}
      </FilterSelect>
      <DateRangeInputs className="w-full sm:w-auto" inputClassName="min-w-0 flex-1 sm:flex-none" from={filters.from} to={filters.to} onChange={(from, to) => onChange({ from, to })} />
      {count > 0 ? (
        <Button variant="ghost" size="sm" className="h-9" onClick={() => onChange({ action: null, member: null, from: null, to: null })}>
          <X /> Clear all
        </Button>
      ) : null}
    </fieldset>
  );
}
