import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { sqlInstant } from "@/lib/data/instant";

/**
 * What counts as spent, from each run's recorded charge (Generation.chargedCredits / refundedCredits / chargeBasis,
 * settled by lib/generations/charges.ts from the provider's answers):
 *
 * - CHARGED: `chargedCredits`, what the provider took and kept (RenderNet charges when it accepts a create, so a run
 *   that failed or was cancelled afterwards is charged too, unless a refund was seen). The charts and the member and
 *   tool totals sum these.
 * - REFUNDED: `refundedCredits`, credits seen coming back (a cancel that found them in the balance). FREE: settled
 *   runs that cost nothing: never sent (cancelled or failed before the create), refused or never received by the
 *   provider. UNKNOWN: no figure (Qolaba bills GPU time; a create whose answer was lost): counted apart, never
 *   guessed into the credits.
 * - A budget counts what a member has committed: every settled run at its charge (an unknown one at its estimate,
 *   since it may have been charged), plus every run not settled yet (in flight: it may be charged any moment) at its
 *   estimate. So a run cancelled before it was sent, refused at create or refunded costs the budget nothing, while a
 *   burst of submits cannot slip past it before the worker sends them. A PREPARING run (inputs uploading) the
 *   submit could not price has no estimate yet and counts nothing until its job prices it, under the same budget
 *   lock (lib/generations/prepare.ts).
 *
 * Periods are UTC: a day is a UTC calendar day of the run's createdAt (the create is sent within seconds of it), a
 * budget month starts on the 1st at 00:00 UTC. Timestamps are `timestamptz(3)`; the bounds are passed with their
 * offset (lib/data/instant.ts), so they hold whatever the session's time zone.
 */

type Sql = Prisma.Sql;
type Client = Pick<Prisma.TransactionClient, "$queryRaw">;

const FINAL = Prisma.sql`('SUCCEEDED', 'FAILED', 'REFUSED', 'CANCELLED')`;

/** SQL condition on a Generation aliased `g`: the provider took credits for it and kept them. */
export const chargedRun: Sql = Prisma.sql`(g."chargedCredits" > 0)`;

/** SQL condition on a Generation aliased `g`: settled, and it cost nothing (never sent, refused, or not charged). */
export const freeRun: Sql = Prisma.sql`(g."chargedCredits" = 0 AND COALESCE(g."refundedCredits", 0) = 0)`;

/** SQL condition on a Generation aliased `g`: settled without a figure. */
export const unknownChargeRun: Sql = Prisma.sql`(g."chargeBasis" IS NOT NULL AND g."chargedCredits" IS NULL)`;

/** SQL expression on a Generation aliased `g`: the credits it holds against its author's budget (see above). */
export const committedCredits: Sql = Prisma.sql`(CASE
  WHEN g."chargeBasis" IS NOT NULL THEN COALESCE(g."chargedCredits", g."estimatedCredits", 0)
  WHEN g."status" IN ${FINAL} THEN 0
  ELSE COALESCE(g."estimatedCredits", 0) END)`;

export function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export function nextMonthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** "Dec 1": when the current budget month ends (read as UTC). */
export function budgetResetLabel(now: Date): string {
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(nextMonthStartUtc(now));
}

/** Credits a member has committed (charged + in flight) in the UTC calendar month of `now`, in one workspace. */
export async function spentThisMonth(
  workspaceId: string,
  userId: string,
  options: { now?: Date; client?: Client } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const client = options.client ?? db;
  const rows = await client.$queryRaw<{ credits: number }[]>`
    SELECT COALESCE(SUM(${committedCredits}), 0)::int AS credits
    FROM "Generation" g
    WHERE g."workspaceId" = ${workspaceId}
      AND g."createdById" = ${userId}
      AND g."createdAt" >= ${sqlInstant(monthStartUtc(now))}
      AND g."createdAt" < ${sqlInstant(nextMonthStartUtc(now))}`;
  return rows[0]?.credits ?? 0;
}
