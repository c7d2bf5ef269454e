import "server-only";
import { db } from "@/lib/db";

/** The last balance Atelier read for a workspace's connection at or before `at` (BalanceSnapshot), or null. */
export async function balanceReadBefore(workspaceId: string, connectionId: string, at: Date): Promise<number | null> {
  const row = await db.balanceSnapshot.findFirst({
    where: { workspaceId, connection: connectionId, createdAt: { lte: at } },
    orderBy: { createdAt: "desc" },
    select: { balance: true },
  });
  return row?.balance ?? null;
}
