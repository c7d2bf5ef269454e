// @ts-check
/**
 * The two embedded PostgreSQL clusters a checkout uses, both under the git-ignored .data/ folder:
 * - .data/postgres       the development database `atelier` (npm run dev / npm start / db:migrate);
 * - .data/postgres-test  throwaway databases for unit tests and Playwright, recreated on every run, so tests never
 *                        touch development data. With DATABASE_URL set, tests use a separate database on that server.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pgPortFromEnv, startEmbeddedPostgres } from './embedded-postgres.mjs';
import { MIGRATIONS_DIR, applyMigrations } from './migrations.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = path.join(REPO_ROOT, '.data');

const quiet = () => {};

/** Starts (or adopts) the development cluster and makes sure the `atelier` database exists. */
export async function startDevDatabase() {
  const server = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, 'postgres'),
    port: pgPortFromEnv(54330),
    log: quiet,
  });
  await server.createDatabaseIfMissing('atelier');
  return { url: server.adminUrl('atelier'), port: server.port, reused: server.reused, stop: () => server.stop() };
}

/**
 * A fresh, fully migrated database for one test run. Returns its URL and a close() that drops it (on an external
 * server) and stops the embedded cluster if this call started it.
 * @param {string} name
 */
export async function openTestDatabase(name) {
  const external = process.env.DATABASE_URL;
  if (external) {
    const base = new URL(external);
    const dbName = `${name}_${process.pid}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    base.pathname = `/${dbName}`;
    const url = base.toString();
    await applyMigrations({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR });
    return {
      url,
      close: async () => {
        const client = new pg.Client({ connectionString: external });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, 'postgres-test'),
    port: Number(process.env.ATELIER_TEST_PG_PORT || 54331),
    log: quiet,
  });
  await server.dropDatabaseIfExists(name);
  await server.createDatabaseIfMissing(name);
  const url = server.adminUrl(name);
  await applyMigrations({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR });
  return { url, close: () => server.stop() };
}
