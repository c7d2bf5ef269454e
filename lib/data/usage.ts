import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ProviderName, Role, Tool } from "@/lib/generated/prisma/enums";
import { requirePermission, type Viewer } from "@/lib/authz";
import {
  budgetResetLabel,
  chargedRun,
  committedCredits,
  freeRun,
  monthStartUtc,
  nextMonthStartUtc,
  unknownChargeRun,
} from "@/lib/data/spend";
import { sqlInstant } from "@/lib/data/instant";

/**
 * The workspace's usage, as the usage page draws it: credits charged per UTC day and tool, per member and per tool
 * over the last N days, with what was refunded and the runs that cost nothing beside them, each member's committed
 * spend this month against their budget, and the provider balance over time. All from the charges recorded per run;
 * what counts where is defined once in lib/data/spend.ts. Every query is scoped by the viewer's workspace; anyone in
 * the workspace may read it.
 *
 * Days, months and buckets are UTC whatever the session's time zone: instants go in with their offset
 * (lib/data/instant.ts), a day is the UTC date of a timestamptz (`AT TIME ZONE 'UTC'` turns it into UTC wall-clock time
 * to format; that is the conversion, not a workaround), and balance buckets are binned from a UTC origin.
 */

export type UsageRange = { days: number; now?: Date };

export type UsageDay = {
  day: string;
  /** Credits charged (and kept) that day. */
  total: number;
  byTool: { tool: Tool; credits: number }[];
  /** Credits seen refunded, for runs of that day. */
  refunded: number;
  /** Runs of that day that cost nothing (never sent, refused, never received). */
  freeRuns: number;
};

export type UsageMember = {
  /** Stable key for lists: the user id, or "deleted" for runs whose author's account is gone. */
  key: string;
  /** null for someone no longer in the workspace (their runs still count). */
  membershipId: string | null;
  name: string;
  email: string | null;
  role: Role | null;
  isYou: boolean;
  /** Charged in the range, and how many runs were charged. */
  credits: number;
  runs: number;
  /** Refunded in the range; runs that cost nothing. */
  refunded: number;
  freeRuns: number;
  /** Charged + in flight this UTC month: what the budget is checked against. */
  monthSpent: number;
  budget: number | null;
};

export type BalanceSeries = { provider: ProviderName; connection: string; current: boolean; points: { at: string; balance: number }[] };

export type UsageDTO = {
  days: number;
  /** When these figures were read (ISO): the charts end here. */
  asOf: string;
  /** First and last day of the range, YYYY-MM-DD (UTC). */
  from: string;
  to: string;
  /** Charged, and the number of charged runs. */
  total: number;
  runs: number;
  refunded: number;
  freeRuns: number;
  daily: UsageDay[];
  tools: { tool: Tool; credits: number; runs: number }[];
  members: UsageMember[];
  /** Runs in the range whose charge is not known (Qolaba bills GPU time; a lost create): counted apart. */
  uncreditedRuns: number;
  month: { label: string; resets: string };
  balance: BalanceSeries[];
};

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function rangeStart(days: number, now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

type SpendRow = { day: string; tool: Tool; userId: string | null; credits: number; runs: number; refunded: number; freeRuns: number; unknownRuns: number };
type Totals = { credits: number; runs: number; refunded: number; freeRuns: number };
const noTotals = (): Totals => ({ credits: 0, runs: 0, refunded: 0, freeRuns: 0 });
const add = (into: Totals, row: Totals) => {
  into.credits += row.credits;
  into.runs += row.runs;
  into.refunded += row.refunded;
  into.freeRuns += row.freeRuns;
};
type SnapshotRow = { provider: ProviderName; connection: string; balance: number; at: string };

export async function getUsage(viewer: Viewer, range: UsageRange): Promise<UsageDTO> {
  requirePermission(viewer, "workspace:read");
  const now = range.now ?? new Date();
  const days = Math.max(1, Math.min(366, Math.floor(range.days)));
  const from = rangeStart(days, now);
  const workspaceId = viewer.workspaceId;
  // One of three constants, so it is inlined (DISTINCT ON and ORDER BY must repeat the very same expression).
  const bucket = Prisma.raw(`interval '${days <= 7 ? "10 minutes" : days <= 31 ? "1 hour" : "3 hours"}'`);

  const [spend, monthRows, memberships, snapshots, before] = await Promise.all([
    // Settled runs only: one still in flight has no charge yet.
    db.$queryRaw<SpendRow[]>`
      SELECT to_char(g."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, g."tool"::text AS tool, g."createdById" AS "userId",
             COALESCE(SUM(g."chargedCredits") FILTER (WHERE ${chargedRun}), 0)::int AS credits,
             COUNT(*) FILTER (WHERE ${chargedRun})::int AS runs,
             COALESCE(SUM(g."refundedCredits"), 0)::int AS refunded,
             COUNT(*) FILTER (WHERE ${freeRun})::int AS "freeRuns",
             COUNT(*) FILTER (WHERE ${unknownChargeRun})::int AS "unknownRuns"
      FROM "Generation" g
      WHERE g."workspaceId" = ${workspaceId} AND g."createdAt" >= ${sqlInstant(from)} AND g."chargeBasis" IS NOT NULL
      GROUP BY 1, 2, 3`,
    db.$queryRaw<{ userId: string | null; credits: number }[]>`
      SELECT g."createdById" AS "userId", SUM(${committedCredits})::int AS credits
      FROM "Generation" g
      WHERE g."workspaceId" = ${workspaceId}
        AND g."createdAt" >= ${sqlInstant(monthStartUtc(now))} AND g."createdAt" < ${sqlInstant(nextMonthStartUtc(now))}
      GROUP BY 1`,
    db.membership.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "asc" },
      select: { id: true, role: true, monthlyCreditBudget: true, user: { select: { id: true, name: true, email: true } } },
    }),
    // The last reading of each time bucket per connection (10 minutes for a week, an hour for a month, 3 hours
    // beyond): about 1,000 points at most, whatever the snapshot rate.
    db.$queryRaw<SnapshotRow[]>`
      SELECT DISTINCT ON (s."connection", date_bin(${bucket}, s."createdAt", TIMESTAMPTZ '2000-01-01 00:00:00+00'))
             s."provider"::text AS provider, s."connection", s."balance",
             to_char(s."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
      FROM "BalanceSnapshot" s
      WHERE s."workspaceId" = ${workspaceId} AND s."createdAt" >= ${sqlInstant(from)}
      ORDER BY s."connection", date_bin(${bucket}, s."createdAt", TIMESTAMPTZ '2000-01-01 00:00:00+00'), s."createdAt" DESC`,
    // The reading in force when the range starts, so the line does not begin empty.
    db.$queryRaw<SnapshotRow[]>`
      SELECT s."provider"::text AS provider, s."connection", s."balance",
             to_char(s."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
      FROM "BalanceSnapshot" s
      WHERE s."workspaceId" = ${workspaceId} AND s."createdAt" < ${sqlInstant(from)}
      ORDER BY s."createdAt" DESC LIMIT 1`,
  ]);

  // Per day x tool, every day of the range present (zeros included).
  const dayIndex = new Map<string, { byTool: Map<Tool, number>; refunded: number; freeRuns: number }>();
  for (let i = 0; i < days; i++) dayIndex.set(isoDay(new Date(from.getTime() + i * DAY_MS)), { byTool: new Map(), refunded: 0, freeRuns: 0 });
  const toolTotals = new Map<Tool, { credits: number; runs: number }>();
  const userTotals = new Map<string, Totals>();
  const totals = noTotals();
  let uncreditedRuns = 0;
  for (const row of spend) {
    const day = dayIndex.get(row.day);
    if (day) {
      if (row.credits > 0) day.byTool.set(row.tool, (day.byTool.get(row.tool) ?? 0) + row.credits);
      day.refunded += row.refunded;
      day.freeRuns += row.freeRuns;
    }
    if (row.runs > 0) {
      const tool = toolTotals.get(row.tool) ?? { credits: 0, runs: 0 };
      toolTotals.set(row.tool, { credits: tool.credits + row.credits, runs: tool.runs + row.runs });
    }
    const userKey = row.userId ?? "deleted";
    const user = userTotals.get(userKey) ?? noTotals();
    add(user, row);
    userTotals.set(userKey, user);
    add(totals, row);
    uncreditedRuns += row.unknownRuns;
  }

  const monthByUser = new Map(monthRows.map((row) => [row.userId ?? "deleted", row.credits]));
  const members: UsageMember[] = memberships.map((m) => ({
    key: m.user.id,
    membershipId: m.id,
    name: m.user.name ?? m.user.email,
    email: m.user.email,
    role: m.role,
    isYou: m.user.id === viewer.userId,
    ...(userTotals.get(m.user.id) ?? noTotals()),
    monthSpent: monthByUser.get(m.user.id) ?? 0,
    budget: m.monthlyCreditBudget,
  }));

  // Spend by people who have left (or whose account is gone) still counts, under a plain label.
  const inWorkspace = new Set(memberships.map((m) => m.user.id));
  const formerIds = [...new Set([...userTotals.keys(), ...monthByUser.keys()])].filter((id) => id !== "deleted" && !inWorkspace.has(id));
  const formerUsers = formerIds.length
    ? await db.user.findMany({ where: { id: { in: formerIds } }, select: { id: true, name: true, email: true } })
    : [];
  for (const id of [...formerIds, "deleted"]) {
    const spent = userTotals.get(id);
    const month = monthByUser.get(id) ?? 0;
    if ((!spent || spent.credits + spent.refunded + spent.freeRuns === 0) && month === 0) continue;
    const user = formerUsers.find((u) => u.id === id);
    members.push({
      key: id,
      membershipId: null,
      name: user ? (user.name ?? user.email) : "Deleted account",
      email: user?.email ?? null,
      role: null,
      isYou: false,
      ...(spent ?? noTotals()),
      monthSpent: month,
      budget: null,
    });
  }
  members.sort((a, b) => b.credits - a.credits || b.monthSpent - a.monthSpent || a.name.localeCompare(b.name));

  return {
    days,
    asOf: now.toISOString(),
    from: isoDay(from),
    to: isoDay(now),
    total: totals.credits,
    runs: totals.runs,
    refunded: totals.refunded,
    freeRuns: totals.freeRuns,
    daily: [...dayIndex].map(([day, { byTool, refunded, freeRuns }]) => ({
      day,
      total: [...byTool.values()].reduce((sum, n) => sum + n, 0),
      byTool: [...byTool].map(([tool, credits]) => ({ tool, credits })),
      refunded,
      freeRuns,
    })),
    tools: [...toolTotals].map(([tool, t]) => ({ tool, ...t })).sort((a, b) => b.credits - a.credits),
    members,
    uncreditedRuns,
    month: {
      label: new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(now),
      resets: budgetResetLabel(now),
    },
    balance: balanceSeries([...before.map((row) => ({ ...row, at: from.toISOString() })), ...snapshots]),
  };
}

function balanceSeries(rows: SnapshotRow[]): BalanceSeries[] {
  const byConnection = new Map<string, BalanceSeries>();
  for (const row of rows) {
    const series = byConnection.get(row.connection) ?? { provider: row.provider, connection: row.connection, current: false, points: [] };
    series.points.push({ at: row.at, balance: row.balance });
    byConnection.set(row.connection, series);
  }
  const list = [...byConnection.values()];
  for (const series of list) series.points.sort((a, b) => a.at.localeCompare(b.at));
  list.sort((a, b) => (a.points[0]?.at ?? "").localeCompare(b.points[0]?.at ?? ""));
  // The connection read most recently is the one in use.
  const latest = list.reduce<BalanceSeries | null>((best, s) => (!best || (s.points.at(-1)?.at ?? "") > (best.points.at(-1)?.at ?? "") ? s : best), null);
  if (latest) latest.current = true;
  return list;
}
