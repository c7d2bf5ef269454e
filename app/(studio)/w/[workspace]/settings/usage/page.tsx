import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { BarChart3, LineChart } from "lucide-react";
import { cn } from "@/lib/cn";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { getUsage, type UsageDTO } from "@/lib/data/usage";
import { parseUsageRange, USAGE_RANGES } from "@/lib/validation/usage";
import { BalanceChart } from "./balance-chart";
import { ChargesTable } from "./charges-table";
import { formatCredits, formatDay } from "./chart-utils";
import { DailyChart } from "./daily-chart";
import { MemberUsage } from "./member-usage";
import { ToolBreakdown } from "./tool-breakdown";
import { plural, pluralWord } from "@/lib/validation/text";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ params, searchParams }: PageProps<"/w/[workspace]/settings/usage">) {
  const viewer = await requireViewer((await params).workspace);
  const days = parseUsageRange((await searchParams).range);
  const usage = await getUsage(viewer, { days });
  const canEditBudgets = can(viewer.role, "budgets:manage");
  const period = `last ${days} days`;
  const rangeLabel = `in the ${period}`;
  const tools = usage.tools.map((t) => t.tool);

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0 flex-1 basis-80 space-y-1">
          <h2 className="text-base font-semibold">Usage</h2>
          <p className="text-sm text-muted">
            Credits charged by RenderNet (what it took and kept, refunds aside), counted by UTC day. Budgets reset on the 1st of each month (UTC).
          </p>
        </div>
        <RangePicker slug={viewer.workspaceSlug} days={days} />
      </div>

      <Stats usage={usage} />

      <Panel id="usage-daily" title="Credits per day" description={`Stacked by tool, ${formatDay(usage.from)} – ${formatDay(usage.to)}.`}>
        {usage.total === 0 ? (
          <Empty icon={<BarChart3 className="size-5" />} title={`No credits spent ${rangeLabel}`}>
            Runs on RenderNet tools show up here on the day they are charged.
          </Empty>
        ) : (
          <DailyChart daily={usage.daily} tools={tools} rangeLabel={period} />
        )}
      </Panel>

      <Panel id="usage-charges" title="Charged, refunded and free" description={`Every finished run ${rangeLabel}: what the provider kept, what came back, and runs that cost nothing.`}>
        <ChargesTable usage={usage} />
      </Panel>

      <Panel
        id="usage-members"
        title="By member"
        flush
        description={
          <>
            Spent in {usage.month.label} against each member&apos;s monthly budget (the marker); resets {usage.month.resets} UTC.
            {canEditBudgets ? " Leave a budget empty for no limit." : " Only owners can change budgets."}
          </>
        }
      >
        <MemberUsage
          workspace={viewer.workspaceSlug}
          members={usage.members}
          canEdit={canEditBudgets}
          rangeLabel={rangeLabel}
          monthLabel={usage.month.label}
        />
      </Panel>

      <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
        <Panel id="usage-tools" title="By tool" description={`Credits per tool ${rangeLabel}.`}>
          <ToolBreakdown tools={usage.tools} total={usage.total} uncreditedRuns={usage.uncreditedRuns} />
        </Panel>
        <Panel id="usage-balance" title="Balance" description="The provider's credit balance, as Atelier last read it.">
          {usage.balance.length === 0 ? (
            <Empty icon={<LineChart className="size-5" />} title="No balance readings yet">
              Atelier notes RenderNet&apos;s balance whenever it prices a run or an admin tests the connection.
            </Empty>
          ) : (
            <BalanceChart series={usage.balance} from={usage.from} asOf={usage.asOf} />
          )}
        </Panel>
      </div>
    </div>
  );
}

function RangePicker({ slug, days }: { slug: string; days: number }) {
  return (
    <nav aria-label="Period" className="flex rounded-xl border border-line bg-surface p-0.5">
      {USAGE_RANGES.map((d) => (
        <Link
          key={d}
          href={`/w/${slug}/settings/usage?range=${d}`}
          scroll={false}
          aria-current={d === days ? "page" : undefined}
          className={cn(
            "rounded-[10px] px-3 py-1.5 text-[13px] font-medium whitespace-nowrap transition-colors",
            d === days ? "bg-accent-soft text-accent" : "text-muted hover:text-ink",
          )}
        >
          Last {d} days
        </Link>
      ))}
    </nav>
  );
}

function Stats({ usage }: { usage: UsageDTO }) {
  const today = usage.daily.at(-1)?.total ?? 0;
  const you = usage.members.find((m) => m.isYou);
  const current = usage.balance.find((s) => s.current);
  const latest = current?.points.at(-1);
  const firstReading = current?.points[0];
  const change = latest && firstReading ? latest.balance - firstReading.balance : 0;
  const since = firstReading ? formatDay(firstReading.at.slice(0, 10)) : "";
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Stat label={`Last ${usage.days} days`} value={formatCredits(usage.total)} unit={pluralWord(usage.total, "credit")} note={`${plural(usage.runs, "charged run")}${usage.refunded > 0 ? ` · ${formatCredits(usage.refunded)} refunded` : ""}`} testId="stat-total" />
      <Stat label="Today" value={formatCredits(today)} unit={pluralWord(today, "credit")} note={`${formatDay(usage.to, "long")} (UTC)`} testId="stat-today" />
      <Stat
        label="Balance"
        value={latest ? formatCredits(latest.balance) : "—"}
        unit={latest ? "credits" : undefined}
        note={!latest ? "Not read yet" : current?.points.length === 1 ? `As of ${since}` : change === 0 ? `Unchanged since ${since}` : `${change > 0 ? "+" : "−"}${formatCredits(Math.abs(change))} since ${since}`}
        testId="stat-balance"
      />
      <Stat
        label="Your budget"
        value={you?.budget === null || !you ? "No limit" : `${formatCredits(you.monthSpent)} / ${formatCredits(you.budget)}`}
        note={
          you && you.budget !== null
            ? `${formatCredits(Math.max(0, you.budget - you.monthSpent))} left · resets ${usage.month.resets}`
            : `${formatCredits(you?.monthSpent ?? 0)} spent in ${usage.month.label}`
        }
        tone={you && you.budget !== null && you.monthSpent >= you.budget ? "danger" : undefined}
        testId="stat-budget"
      />
    </dl>
  );
}

function Stat({ label, value, unit, note, tone, testId }: { label: string; value: string; unit?: string; note: string; tone?: "danger"; testId: string }) {
  return (
    <div className="min-w-0 rounded-2xl border border-line bg-surface px-4 py-3.5 shadow-card" data-testid={testId}>
      <dt className="text-[12px] font-medium text-muted">{label}</dt>
      <dd className="mt-1 space-y-0.5">
        <p className={cn("truncate text-xl font-semibold tracking-tight tabular-nums", tone === "danger" && "text-danger")}>
          {value}
          {unit ? <span className="text-[13px] font-normal text-muted"> {unit}</span> : null}
        </p>
        <p className="truncate text-[12px] text-muted">{note}</p>
      </dd>
    </div>
  );
}

function Panel({ id, title, description, flush, children }: { id: string; title: string; description?: ReactNode; flush?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-2xl border border-line bg-surface shadow-card">
      <header className={cn("space-y-0.5 px-5 pt-4", flush ? "border-b border-line pb-3.5" : "pb-4")}>
        <h3 id={id} className="text-[15px] font-semibold">
          {title}
        </h3>
        {description ? <p className="text-[13px] text-muted">{description}</p> : null}
      </header>
      <div className={flush ? undefined : "px-5 pb-5"}>{children}</div>
    </section>
  );
}

function Empty({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-line px-6 py-10 text-center">
      <div className="mb-3 grid size-10 place-items-center rounded-xl bg-accent-soft text-accent">{icon}</div>
      <p className="text-sm font-semibold">{title}</p>
      <p className="mt-1 max-w-sm text-[13px] text-muted">{children}</p>
    </div>
  );
}
