import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Transactions for the domain, without Prisma in the domain: `inTransaction` hands its callback an opaque `Tx`
 * that the domain only passes on to functions that take one (data-layer writers, `enqueue`, `recordAudit`,
 * `enforceBudget`), so steps decided by the domain (a budget check under a lock, the insert, its job, its audit
 * entry) commit together or not at all. The domain never calls a method on it.
 */
export type Tx = Prisma.TransactionClient;

export function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn);
}

/** A unique constraint refused the write (Prisma's P2002): a twin request won the race. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
