import "server-only";
import { db } from "@/lib/db";
import type { ProviderName } from "@/lib/generated/prisma/enums";
import { sqlInstant } from "@/lib/data/instant";
import { logger } from "@/lib/logger";

/**
 * The balance-over-time series: a BalanceSnapshot is stored whenever Atelier learns a provider balance (an estimate,
 * a create's `credits_remaining`, the readings around a cancel, a connection test), but at most once per 10 minutes per (workspace, connection) while the balance is unchanged, so
 * a user typing a prompt (one estimate per pause) does not write a row per keystroke. A change is always stored.
 *
 * The rule is one conditional INSERT, so it holds across processes; a small per-process memo skips the database
 * entirely for the common repeat. Two processes racing can at worst store the same value twice, which is harmless.
 */

/**
 * Stores a reading unless the connection's latest one, newer than `since`, has the same balance: one conditional
 * INSERT, so the rule holds across processes. Returns true when a row was stored.
 */
async function insertBalanceUnlessRepeat(input: {
  workspaceId: string;
  provider: ProviderName;
  connectionId: string;
  balance: number;
  at: Date;
  since: Date;
}): Promise<boolean> {
  const { workspaceId, provider, connectionId, balance, at, since } = input;
  const inserted = await db.$executeRaw`
    INSERT INTO "BalanceSnapshot" ("workspaceId", "provider", "connection", "balance", "createdAt")
    SELECT ${workspaceId}, ${provider}::"ProviderName", ${connectionId}, ${balance}, ${sqlInstant(at)}
    WHERE NOT EXISTS (
      SELECT 1 FROM (
        SELECT s."balance", s."createdAt" FROM "BalanceSnapshot" s
        WHERE s."workspaceId" = ${workspaceId} AND s."connection" = ${connectionId}
        ORDER BY s."createdAt" DESC LIMIT 1
      ) latest
      WHERE latest."balance" = ${balance} AND latest."createdAt" > ${sqlInstant(since)}
    )`;
  return inserted > 0;
}

export const SNAPSHOT_EVERY_MS = 10 * 60_000;

const globalMemo = globalThis as unknown as { atelierBalanceMemo?: Map<string, { balance: number; at: number }> };
const memo = (globalMemo.atelierBalanceMemo ??= new Map());

/** Returns true when a snapshot was stored. */
export async function recordBalance(
  workspaceId: string,
  provider: ProviderName,
  connectionId: string,
  balance: number,
  at: Date = new Date(),
): Promise<boolean> {
  if (!Number.isFinite(balance)) return false;
  const value = Math.round(balance);
  const key = `${workspaceId}\u0000${connectionId}`;
  const last = memo.get(key);
  if (last && last.balance === value && at.getTime() >= last.at && at.getTime() - last.at < SNAPSHOT_EVERY_MS) return false;
  const inserted = await insertBalanceUnlessRepeat({
    workspaceId,
    provider,
    connectionId,
    balance: value,
    at,
    since: new Date(at.getTime() - SNAPSHOT_EVERY_MS),
  });
  if (inserted) {
    if (memo.size > 5000) memo.clear();
    memo.set(key, { balance: value, at: at.getTime() });
  }
  return inserted;
}

/** For the request paths that learn a balance: never waits on, nor fails because of, the snapshot. */
export function recordBalanceQuietly(workspaceId: string, provider: ProviderName, connectionId: string, balance: number): void {
  recordBalance(workspaceId, provider, connectionId, balance).catch((error: unknown) =>
    logger.warn("usage: could not record a balance snapshot", { workspaceId, connectionId, error }),
  );
}

/** The provider balance Atelier read last for a workspace's connection (any source), or null before the first. */
export async function latestBalance(workspaceId: string, connectionId: string): Promise<{ balance: number; at: Date } | null> {
  const row = await db.balanceSnapshot.findFirst({
    where: { workspaceId, connection: connectionId },
    orderBy: { createdAt: "desc" },
    select: { balance: true, createdAt: true },
  });
  return row ? { balance: row.balance, at: row.createdAt } : null;
}
