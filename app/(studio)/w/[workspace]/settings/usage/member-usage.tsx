"use client";

import { useOptimistic, useState, useTransition, type FormEvent } from "react";
import { toast } from "@/lib/client/toast";
import { cn } from "@/lib/cn";
import { roleLabel } from "@/lib/authz";
import { setMemberBudgetAction } from "@/lib/actions/usage";
import type { UsageMember } from "@/lib/data/usage";
import { budgetField } from "@/lib/validation/usage";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { initials } from "@/components/shell/user-menu";
import { formatCredits, niceCeil } from "./chart-utils";
import { plural } from "@/lib/validation/text";

type BudgetChange = { membershipId: string; budget: number | null };

/**
 * Each member's spend this month as a bar on one shared scale, their monthly budget as a marker on it, and what they
 * spent in the selected range. Owners edit budgets inline: the bar and marker move at once (optimistic) and settle
 * on the server's answer.
 */
export function MemberUsage({
  workspace,
  members,
  canEdit,
  rangeLabel,
  monthLabel,
}: {
  workspace: string;
  members: UsageMember[];
  canEdit: boolean;
  rangeLabel: string;
  monthLabel: string;
}) {
  const [optimistic, applyOptimistic] = useOptimistic(members, (state, change: BudgetChange) =>
    state.map((m) => (m.membershipId === change.membershipId ? { ...m, budget: change.budget } : m)),
  );
  const scale = niceCeil(Math.max(0, ...optimistic.map((m) => Math.max(m.monthSpent, m.budget ?? 0))));

  return (
    <ul className="divide-y divide-line" data-testid="member-usage">
      {optimistic.map((m) => (
        <li key={m.key} data-testid="member-usage-row" data-name={m.name} className="grid gap-x-5 gap-y-3 px-5 py-4 md:grid-cols-[minmax(0,13rem)_minmax(0,1fr)_auto] md:items-center">
          <div className="flex min-w-0 items-center gap-3">
            <span className={cn("grid size-9 shrink-0 place-items-center rounded-full bg-surface-2 text-xs font-semibold", !m.membershipId && "opacity-60")}>
              {initials(m.name, m.email ?? m.name)}
            </span>
            <span className="min-w-0">
              <span className="flex items-center gap-2 text-sm font-medium">
                <span className="truncate">{m.name}</span>
                {m.isYou ? <Badge tone="accent">You</Badge> : null}
              </span>
              <span className="block truncate text-xs text-muted">{m.role ? roleLabel[m.role] : "No longer in the workspace"}</span>
            </span>
          </div>

          <BudgetMeter member={m} scale={scale} monthLabel={monthLabel} rangeLabel={rangeLabel} />

          {canEdit && m.membershipId ? (
            <BudgetEditor workspace={workspace} member={m} onOptimistic={applyOptimistic} />
          ) : (
            <p className="text-[13px] text-muted md:w-52 md:text-right">
              {m.membershipId ? (m.budget === null ? "No monthly limit" : `Budget ${plural(m.budget, "credit")} a month`) : null}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

function BudgetMeter({ member: m, scale, monthLabel, rangeLabel }: { member: UsageMember; scale: number; monthLabel: string; rangeLabel: string }) {
  const over = m.budget !== null && m.monthSpent > m.budget;
  const full = m.budget !== null && m.monthSpent >= m.budget;
  const pct = (n: number) => `${Math.min(100, (n / scale) * 100)}%`;
  const text =
    m.budget === null
      ? `${formatCredits(m.monthSpent)} this month`
      : `${formatCredits(m.monthSpent)} of ${formatCredits(m.budget)} this month`;
  return (
    <div className="min-w-0 space-y-1.5">
      <div
        role="meter"
        aria-label={`${m.name}: credits spent in ${monthLabel}`}
        aria-valuemin={0}
        aria-valuemax={m.budget ?? Math.max(scale, m.monthSpent)}
        aria-valuenow={m.monthSpent}
        aria-valuetext={m.budget === null ? `${text}, no budget` : text}
        className="relative h-2.5 rounded-full bg-surface-2"
      >
        <div
          className={cn("absolute inset-y-0 left-0 rounded-full transition-[width] duration-300", over ? "bg-danger" : full ? "bg-amber-500" : "bg-accent")}
          style={{ width: m.monthSpent > 0 ? `max(${pct(m.monthSpent)}, 0.375rem)` : "0" }}
        />
        {m.budget !== null ? (
          <div
            className="absolute -top-1 -bottom-1 w-0.5 -translate-x-1/2 rounded-full bg-ink transition-[left] duration-300"
            style={{ left: pct(m.budget) }}
            title={`Budget: ${plural(m.budget, "credit")} a month`}
            aria-hidden="true"
          />
        ) : null}
      </div>
      <div className="flex flex-wrap justify-between gap-x-3 text-[12px] tabular-nums">
        <p className={over ? "text-danger" : "text-muted"} data-testid="member-month">
          {text}
          {m.budget === null ? null : over ? " · over budget" : full ? " · budget used up" : ` · ${formatCredits(m.budget - m.monthSpent)} left`}
        </p>
        <p className="text-muted" data-testid="member-range">
          <span className="font-medium text-ink">{plural(m.credits, "credit")}</span> {rangeLabel}
          {m.refunded > 0 ? ` · ${formatCredits(m.refunded)} refunded` : ""}
          {m.freeRuns > 0 ? ` · ${plural(m.freeRuns, "free run")}` : ""}
        </p>
      </div>
    </div>
  );
}

function BudgetEditor({
  workspace,
  member,
  onOptimistic,
}: {
  workspace: string;
  member: UsageMember;
  onOptimistic: (change: BudgetChange) => void;
}) {
  const saved = member.budget === null ? "" : String(member.budget);
  const [value, setValue] = useState(saved);
  const [lastSaved, setLastSaved] = useState(saved);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  // A budget changed elsewhere (another owner, another tab) shows up here after a refresh.
  if (saved !== lastSaved) {
    setLastSaved(saved);
    setValue(saved);
  }
  const parsed = budgetField.safeParse(value);
  const changed = !parsed.success || parsed.data !== member.budget;
  const id = `budget-${member.membershipId}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Check the budget.");
    if (!changed || !member.membershipId) return;
    const budget = parsed.data;
    const membershipId = member.membershipId;
    setError(null);
    start(async () => {
      onOptimistic({ membershipId, budget });
      const result = await setMemberBudgetAction({ workspace, membershipId, budget: value });
      if (!result.ok) {
        setError(result.fieldErrors?.budget?.[0] ?? result.error);
        return;
      }
      toast.success("Budget saved", {
        description: budget === null ? `${member.name} has no monthly limit.` : `${member.name} can spend ${plural(budget, "credit")} a month.`,
      });
    });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-1 md:w-52">
      <div className="flex items-center gap-2">
        <div className="relative min-w-0 flex-1">
          <Input
            id={id}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder="No limit"
            aria-label={`Monthly budget for ${member.name}`}
            aria-describedby={error ? `${id}-error` : undefined}
            invalid={Boolean(error)}
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
              setError(null);
            }}
            className="h-9 pr-16 tabular-nums"
          />
          <span className="pointer-events-none absolute top-1/2 right-3 -translate-y-1/2 text-[12px] text-muted">/ month</span>
        </div>
        <Button type="submit" size="sm" variant={changed ? "primary" : "secondary"} className="h-9" disabled={!changed} loading={pending} aria-label={`Save budget for ${member.name}`}>
          Save
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-[12px] text-danger">
          {error}
        </p>
      ) : null}
    </form>
  );
}
