import "server-only";
import { db } from "@/lib/db";

/**
 * What readiness (lib/monitoring/readiness.ts) asks the database. Both are reads: a probe never writes.
 */

/** Resolves when the database answers a trivial query on one of the app's pooled connections. */
export async function pingDatabase(): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}

/**
 * The migrations recorded as applied (finished, not rolled back). The app's role may not read "_prisma_migrations"
 * (docs/database-roles.md); it asks `atelier_applied_migrations()`, a SECURITY DEFINER function owned by the tables'
 * owner that returns the names only (migration 20261203190000_applied_migrations_function). A database without that
 * function is one where that migration is not applied: null says so.
 */
export async function appliedMigrationNames(): Promise<string[] | null> {
  try {
    const rows = await db.$queryRaw<{ name: string }[]>`SELECT name FROM atelier_applied_migrations()`;
    return rows.map((row) => row.name);
  } catch (error) {
    if (isUndefinedFunction(error)) return null;
    throw error;
  }
}

function isUndefinedFunction(error: unknown): boolean {
  // PostgreSQL's 42883 (undefined_function), as Prisma's pg adapter reports it.
  const text = error instanceof Error ? `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}` : "";
  return /42883|atelier_applied_migrations\(\) does not exist|function .*atelier_applied_migrations.* does not exist/i.test(text);
}
