import { existsSync } from "node:fs";
import path from "node:path";

/**
 * Which Vitest project a test file runs in (vitest.config.ts).
 *
 * Every test file is a `unit` test (no PostgreSQL: the run starts at once) unless it is listed here. A test listed
 * here runs in `integration`, after the global setup has started and migrated the test database.
 *
 * A new test that reaches PostgreSQL without being listed fails at its first query with a message naming this file
 * (test/unit-setup.ts refuses every connection), so it cannot land in the wrong project silently. A listed path that
 * no longer exists fails the config, so the list cannot go stale either. Files are listed one by one, not by folder:
 * most folders hold both kinds, and a pure test should stay quick to run.
 */
export const integrationTests = [
  // The sandbox route in production mode keys its rate limits in the database.
  "app/sandbox/[...path]/route.test.ts",
  "lib/actions/action-client.test.ts",
  "lib/audit/audit.test.ts",
  "lib/audit/denials.test.ts",
  "lib/audit/trail.test.ts",
  "lib/auth/sessions.test.ts",
  "lib/auth/sign-in-limits.test.ts",
  "lib/crypto/rotate.test.ts",
  "lib/data/assets.test.ts",
  "lib/data/connection-check.test.ts",
  "lib/data/connections.test.ts",
  "lib/data/database-role.test.ts",
  "lib/data/hostile-queries.test.ts",
  "lib/data/invitations.test.ts",
  "lib/data/jobs-admin.test.ts",
  "lib/data/members.test.ts",
  "lib/data/presets.test.ts",
  "lib/data/prompt-history.test.ts",
  // Runs the usage, budget and audit queries from a connection in another time zone.
  "lib/data/time-zone.test.ts",
  "lib/data/workspaces.test.ts",
  "lib/gallery/gallery.test.ts",
  "lib/generations/batches/batches.test.ts",
  "lib/generations/batches/plan-route.test.ts",
  "lib/generations/cancel.test.ts",
  "lib/generations/characters.test.ts",
  "lib/generations/creates.test.ts",
  "lib/generations/estimate-route.test.ts",
  "lib/generations/generations.test.ts",
  "lib/generations/ingest.test.ts",
  "lib/generations/submit-limits.test.ts",
  "lib/generations/variations.test.ts",
  "lib/jobs/queue.test.ts",
  "lib/limits/rate-limiter.test.ts",
  "lib/media/api.test.ts",
  "lib/media/http.test.ts",
  "lib/media/receive-upload.test.ts",
  "lib/media/request-body.test.ts",
  "lib/monitoring/health.test.ts",
  "lib/monitoring/scrape.test.ts",
  // Starts a worker and an HTTP server in a child process on the test database, and stops it with SIGTERM.
  "lib/shutdown.process.test.ts",
  "lib/usage/usage.test.ts",
  // Backs up the run's database and restores it into a database of its own on the same server.
  "scripts/lib/backup.test.ts",
  // Starts a cluster of its own through scripts/lib/dev-database.mjs and uses the run's database as well.
  "scripts/lib/dev-database.test.ts",
  "scripts/lib/db-roles.test.ts",
];

/**
 * Tests that run against a real S3 API (OpenStack Swift, started once by test/s3-global-setup.ts; every file gets a
 * bucket of its own and STORAGE_DRIVER=s3) and the migrated test database. Swift must be installed (.ci/run does it).
 */
export const s3Tests = [
  "lib/media/s3-routes.test.ts",
  "lib/monitoring/readiness-s3.test.ts",
  "lib/storage/s3.test.ts",
  "scripts/lib/media-copy.test.ts",
  "scripts/lib/swift.test.ts",
];

/** Every test file, whichever project it belongs to. */
export const allTests = ["**/*.test.ts", "**/*.test.mjs"];

/** Never test files: dependencies, build output, Playwright journeys (e2e/, run by Playwright), local data. */
export const notTests = ["node_modules/**", ".next/**", "e2e/**", ".data/**"];

/**
 * The list above as globs, checked against the disk: a renamed or deleted test must leave the list with it.
 * @param {string} root the repository root
 * @returns {string[]}
 */
export function integrationGlobs(root) {
  return asGlobs(root, integrationTests);
}

/**
 * The S3 list as globs, checked like the integration list.
 * @param {string} root the repository root
 * @returns {string[]}
 */
export function s3Globs(root) {
  return asGlobs(root, s3Tests);
}

/**
 * @param {string} root
 * @param {string[]} files
 * @returns {string[]}
 */
function asGlobs(root, files) {
  const missing = files.filter((file) => !existsSync(path.join(root, file)));
  if (missing.length > 0) {
    throw new Error(`test/projects.mjs lists test files that do not exist: ${missing.join(", ")}. Update the list.`);
  }
  // A path is used as a glob: escape the characters globs give a meaning to (`app/[...path]/` is a real folder name).
  return files.map((file) => file.replace(/[[\]{}()*?!+@]/g, "\\$&"));
}
