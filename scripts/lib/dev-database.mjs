// @ts-check
/**
 * The two embedded PostgreSQL clusters a checkout uses, both under the git-ignored .data/ folder:
 * - .data/postgres       the development database `atelier` (npm run dev / npm start / db:migrate);
 * - .data/postgres-test  throwaway databases for unit tests and Playwright, recreated on every run, so tests never
 *                        touch development data. With DATABASE_URL set, tests use a separate database on that server.
 *
 * Each cluster has two roles (scripts/lib/db-roles.mjs): its superuser `atelier` owns the tables and runs migrations;
 * the app connects as `atelier_app`, whose password is generated once into `<dataDir>.app-password` (mode 0600,
 * beside the superuser's `<dataDir>.password`). Every start makes sure that role exists and is safe, so a cluster
 * made before the role existed gets it on its next start, then grants it the app's privileges on what is there.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EMBEDDED_APP_ROLE, ensureAppRole, grantAppPrivileges, withCredentials } from './db-roles.mjs';
import { pgPortFromEnv, startEmbeddedPostgres } from './embedded-postgres.mjs';
import { MIGRATIONS_DIR, applyMigrations } from './migrations.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = path.join(REPO_ROOT, '.data');

const quiet = () => {};

/**
 * @typedef {object} EmbeddedDatabase
 * @property {string} ownerUrl the superuser's URL: migrations, test teardown, bulk loads
 * @property {string} appUrl the app role's URL: what the app and the account scripts connect with
 * @property {string} appRole
 * @property {number} port
 * @property {boolean} reused
 * @property {() => Promise<void>} stop
 */

/**
 * Starts (or adopts) the embedded cluster in `dataDir`, makes sure `database` exists and the app role is in place
 * with its privileges on whatever tables exist now (applyMigrations with `appRole` grants again after migrating).
 * @param {{ dataDir: string, port: number, database: string, fresh?: boolean, log?: (message: string) => void }} options
 *   `fresh`: drop the database first (tests).
 * @returns {Promise<EmbeddedDatabase>}
 */
export async function startEmbeddedDatabase({ dataDir, port, database, fresh = false, log = quiet }) {
  const server = await startEmbeddedPostgres({ dataDir, port, log });
  try {
    if (fresh) await server.dropDatabaseIfExists(database);
    await server.createDatabaseIfMissing(database);
    const password = await readOrCreateSecret(path.join(path.dirname(dataDir), `${path.basename(dataDir)}.app-password`));
    const ownerUrl = server.adminUrl(database);
    const outcome = await ensureAppRole(ownerUrl, { role: EMBEDDED_APP_ROLE, password });
    if (outcome !== 'unchanged') log(`Database role ${EMBEDDED_APP_ROLE} ${outcome}`);
    await grantAppPrivileges(ownerUrl, EMBEDDED_APP_ROLE);
    return {
      ownerUrl,
      appUrl: withCredentials(ownerUrl, EMBEDDED_APP_ROLE, password),
      appRole: EMBEDDED_APP_ROLE,
      port: server.port,
      reused: server.reused,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop().catch(() => {});
    throw error;
  }
}

/** Starts (or adopts) the development cluster (.data/postgres, database `atelier`). */
export function startDevDatabase() {
  return startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, 'postgres'), port: pgPortFromEnv(54330), database: 'atelier' });
}

/**
 * @typedef {object} TestDatabase
 * @property {string} url the app role's URL, so tests exercise the app with the privileges it has in production
 * @property {string} ownerUrl the owner's URL, for what needs more than reading and writing rows
 * @property {string | null} appRole null when the server does not let us create one (then `url` is the owner's)
 * @property {() => Promise<void>} close
 */

/**
 * A fresh, fully migrated database for one test run. Returns its URLs and a close() that drops it (on an external
 * server) and stops the embedded cluster if this call started it.
 * On an external server (DATABASE_URL), the run gets its own login role `<name>_<pid>_app` if DATABASE_URL's user
 * may create roles (dropped by close()); otherwise it warns and the tests connect as DATABASE_URL's user.
 * @param {string} name
 * @returns {Promise<TestDatabase>}
 */
export async function openTestDatabase(name) {
  const external = process.env.DATABASE_URL;
  if (external) return openExternalTestDatabase(external, name);
  const database = await startEmbeddedDatabase({
    dataDir: path.join(DATA_DIR, 'postgres-test'),
    port: Number(process.env.ATELIER_TEST_PG_PORT || 54331),
    database: name,
    fresh: true,
  });
  await applyMigrations({ databaseUrl: database.ownerUrl, migrationsDir: MIGRATIONS_DIR, appRole: database.appRole });
  return { url: database.appUrl, ownerUrl: database.ownerUrl, appRole: database.appRole, close: database.stop };
}

/**
 * @param {string} external
 * @param {string} name
 * @returns {Promise<TestDatabase>}
 */
async function openExternalTestDatabase(external, name) {
  const dbName = `${name}_${process.pid}`;
  const role = `${dbName}_app`;
  const admin = async (/** @type {(client: pg.Client) => Promise<void>} */ fn) => {
    const client = new pg.Client({ connectionString: external });
    await client.connect();
    try {
      await fn(client);
    } finally {
      await client.end();
    }
  };
  await admin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(dbName)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(dbName)}`);
  });
  const base = new URL(external);
  base.pathname = `/${dbName}`;
  const ownerUrl = base.toString();
  const password = randomBytes(24).toString('hex');
  let appRole = /** @type {string | null} */ (role);
  try {
    await ensureAppRole(ownerUrl, { role, password });
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== '42501') throw error;
    appRole = null;
    console.warn(`Tests connect as DATABASE_URL's user: it may not create the role ${role} (CREATEROLE), so the app's least privilege is not exercised.`);
  }
  await applyMigrations({ databaseUrl: ownerUrl, migrationsDir: MIGRATIONS_DIR, appRole });
  return {
    url: appRole ? withCredentials(ownerUrl, appRole, password) : ownerUrl,
    ownerUrl,
    appRole,
    close: () =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(dbName)} WITH (FORCE)`);
        if (appRole) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(appRole)}`);
      }),
  };
}

/**
 * Reads a generated secret kept in `file`, creating it (mode 0600) on first use. Concurrent first uses agree:
 * only one creation wins ('wx'), the others read what it wrote.
 * @param {string} file
 */
async function readOrCreateSecret(file) {
  const secret = randomBytes(24).toString('hex');
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== 'EEXIST') throw error;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const text = (await fs.readFile(file, 'utf8')).trim();
    if (text) return text;
    await new Promise((resolve) => setTimeout(resolve, 50)); // the winner has created it but not yet written it
  }
  throw new Error(`${file} is empty: remove it and retry`);
}
