import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * What counts as spent, decided from the generation state machine (lib/generations/worker.ts):
 *
 * - RenderNet charges when it accepts a create. The worker records that moment by storing the provider's generation
 *   id (markRunning), and never clears it, so a RenderNet run with `providerGenerationId` was CHARGED its estimate,
 *   whatever happened afterwards (succeeded, failed or refused while rendering, outputs later deleted).
 * - A run refused at create (validation, key, credits), given up after 429s/outages, failed before it was sent
 *   (PREPARING or QUEUED → FAILED) or never found while reconciling ("nothing was charged") has no provider id: not spent.
 * - PREPARING (inputs uploading), QUEUED, SUBMITTING and RECONCILING runs are IN FLIGHT: they may be charged soon.
 *   Charts show what was charged; budgets count charged + in flight, so a burst of submits cannot slip past a budget
 *   before the worker sends them. A PREPARING run the submit could not price has no estimate yet and counts nothing
 *   until its job prices it, under the same budget lock (lib/generations/prepare.ts).
 * - Qolaba bills GPU time and gives no credit figure (estimatedCredits is null): never counted in credits; the usage
 *   page counts those runs separately.
 *
 * Amounts are the run's estimate (the provider charges the estimated total). Periods are UTC: a day is a UTC
 * calendar day of the run's createdAt (the create is sent within seconds of it), a budget month starts on the 1st
 * at 00:00 UTC. Timestamps are `timestamp(3) without time zone` holding UTC, as Prisma writes them.
 */

type Sql = Prisma.Sql;
type Client = Pick<Prisma.TransactionClient, "$queryRaw">;

const creditRun = Prisma.sql`g."provider" = 'RENDERNET' AND g."estimatedCredits" IS NOT NULL`;

/** SQL condition on a Generation aliased `g`: RenderNet accepted (and charged) it. */
export const chargedRun: Sql = Prisma.sql`(${creditRun} AND g."providerGenerationId" IS NOT NULL)`;

/** SQL condition on a Generation aliased `g`: charged, or in flight and about to be. What a budget counts. */
export const committedRun: Sql = Prisma.sql`(${creditRun} AND (g."providerGenerationId" IS NOT NULL OR g."status" IN ('PREPARING', 'QUEUED', 'SUBMITTING', 'RECONCILING')))`;

/** A UTC instant as a `timestamp` parameter (the columns hold UTC without a zone). */
export function utcTimestamp(date: Date): Sql {
  return Prisma.sql`${date.toISOString().slice(0, 23).replace("T", " ")}::timestamp`;
}

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
    SELECT COALESCE(SUM(g."estimatedCredits"), 0)::int AS credits
    FROM "Generation" g
    WHERE g."workspaceId" = ${workspaceId}
      AND g."createdById" = ${userId}
      AND g."createdAt" >= ${utcTimestamp(monthStartUtc(now))}
      AND g."createdAt" < ${utcTimestamp(nextMonthStartUtc(now))}
      AND ${committedRun}`;
  return rows[0]?.credits ?? 0;
}
