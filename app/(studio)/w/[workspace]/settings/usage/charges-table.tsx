import type { UsageDTO } from "@/lib/data/usage";
import { formatCredits, formatDay } from "./chart-utils";
import { plural } from "@/lib/validation/text";

/**
 * What was charged beside what came back or cost nothing, per UTC day and per member, from the charges recorded per
 * run (lib/data/spend.ts): charged = credits the provider took and kept; refunded = credits seen coming back;
 * free = runs that cost nothing (never sent, refused or never received by the provider).
 */
export function ChargesTable({ usage }: { usage: Pick<UsageDTO, "daily" | "members" | "total" | "refunded" | "freeRuns" | "uncreditedRuns"> }) {
  const days = [...usage.daily].reverse().filter((d) => d.total > 0 || d.refunded > 0 || d.freeRuns > 0);
  const members = usage.members.filter((m) => m.credits > 0 || m.refunded > 0 || m.freeRuns > 0);
  if (days.length === 0) {
    return <p className="py-6 text-center text-[13px] text-muted">No run was charged, refunded or free in this period.</p>;
  }
  return (
    <div className="space-y-4">
      <Table
        caption="Per day (UTC)"
        testId="charges-by-day"
        rows={days.map((d) => ({ key: d.day, label: formatDay(d.day, "long"), charged: d.total, refunded: d.refunded, free: d.freeRuns }))}
        total={{ charged: usage.total, refunded: usage.refunded, free: usage.freeRuns }}
      />
      <Table
        caption="Per member"
        testId="charges-by-member"
        rows={members.map((m) => ({ key: m.key, label: m.name, charged: m.credits, refunded: m.refunded, free: m.freeRuns }))}
      />
      {usage.uncreditedRuns > 0 ? (
        <p className="rounded-xl bg-surface-2/70 px-3.5 py-2.5 text-[12px] text-muted">
          {plural(usage.uncreditedRuns, "run")} with a charge that is not known (Qolaba bills GPU time and reports no credits) are not counted here.
        </p>
      ) : null}
    </div>
  );
}

type Row = { key: string; label: string; charged: number; refunded: number; free: number };

function Table({ caption, rows, total, testId }: { caption: string; rows: Row[]; total?: Omit<Row, "key" | "label">; testId: string }) {
  return (
    <div className="overflow-auto rounded-xl border border-line/70">
      <table className="w-full text-left text-[13px] tabular-nums" data-testid={testId}>
        <caption className="px-3.5 pt-2 text-left text-[12px] font-medium text-muted">{caption}</caption>
        <thead className="text-[12px] text-muted">
          <tr>
            <th scope="col" className="px-3.5 py-2 font-medium">
              <span className="sr-only">{caption}</span>
            </th>
            <th scope="col" className="px-3.5 py-2 text-right font-medium">
              Charged credits
            </th>
            <th scope="col" className="px-3.5 py-2 text-right font-medium">
              Refunded credits
            </th>
            <th scope="col" className="px-3.5 py-2 text-right font-medium">
              Free runs
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line/60">
          {rows.map((row) => (
            <tr key={row.key} data-row={row.label}>
              <th scope="row" className="px-3.5 py-1.5 font-normal whitespace-nowrap">
                {row.label}
              </th>
              <td className="px-3.5 py-1.5 text-right">{formatCredits(row.charged)}</td>
              <td className="px-3.5 py-1.5 text-right">{formatCredits(row.refunded)}</td>
              <td className="px-3.5 py-1.5 text-right">{formatCredits(row.free)}</td>
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot className="border-t border-line/70 font-medium">
            <tr>
              <th scope="row" className="px-3.5 py-1.5 text-left">
                Total
              </th>
              <td className="px-3.5 py-1.5 text-right">{formatCredits(total.charged)}</td>
              <td className="px-3.5 py-1.5 text-right">{formatCredits(total.refunded)}</td>
              <td className="px-3.5 py-1.5 text-right">{formatCredits(total.free)}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
