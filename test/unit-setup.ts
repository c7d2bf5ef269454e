import pg from "pg";
import { expect } from "vitest";

// The `unit` project has no PostgreSQL (vitest.config.ts). A test that reaches for one anyway must fail at once and
// say what to do, instead of waiting on a connection that nothing will answer.

// lib/env.ts requires a postgres URL even when nothing connects. Port 9 on loopback is a last resort that refuses
// at once, should a connection ever get past the guard below.
process.env.DATABASE_URL = "postgresql://unit-tests-have-no-database@127.0.0.1:9/none";
process.env.AUTH_SECRET ??= "test-secret-that-is-at-least-32-characters-long";
// A fixed master key for sealing provider keys in tests (32 bytes, base64), as in the integration project.
process.env.ATELIER_MASTER_KEY ??= "dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcHJvZHVjdGk=";

function noDatabase(): Error {
  const file = expect.getState().testPath ?? "this test file";
  return new Error(
    `${file} is in the Vitest "unit" project, which has no PostgreSQL, but it opened a database connection. ` +
      `If it needs the database, add it to integrationTests in test/projects.mjs.`,
  );
}

// Prisma's pg adapter, pg-pool and tests' own pg.Client all connect through Client#connect (callback or promise).
type Connect = (callback?: (error: Error | undefined) => void) => Promise<void> | undefined;
const refuse: Connect = function (callback) {
  const error = noDatabase();
  if (callback) {
    process.nextTick(callback, error);
    return undefined;
  }
  return Promise.reject(error);
};
(pg.Client.prototype as unknown as { connect: Connect }).connect = refuse;
