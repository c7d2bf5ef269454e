// @ts-check
/**
 * The server Playwright tests against: a fresh, migrated `atelier_e2e` database (embedded, or beside DATABASE_URL's
 * when that is set) and the production build, served by scripts/server.mjs as `npm start` does, connected as the
 * least-privilege app role as in production (scripts/lib/db-roles.mjs). Stops both when Playwright ends it.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, REPO_ROOT, openTestDatabase } from './lib/dev-database.mjs';

const port = process.env.E2E_PORT || '3100';
const database = await openTestDatabase('atelier_e2e');
// Media and the sandbox's accounts start empty on every run, like the database.
const e2eDir = path.join(DATA_DIR, 'e2e');
rmSync(e2eDir, { recursive: true, force: true });
mkdirSync(e2eDir, { recursive: true });

// Everything the server prints goes to the console and to .data/e2e/server.log, which the key-leak journey reads.
const log = createWriteStream(path.join(e2eDir, 'server.log'));
const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'server.mjs')], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    AUTH_SECRET: 'e2e-secret-not-for-production-0123456789abcdef',
    AUTH_TRUST_HOST: 'true',
    AUTH_URL: `http://127.0.0.1:${port}`,
    PORT: port,
    HOSTNAME: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // Journeys run against the built-in sandbox provider, with its fast schedule and test hooks.
    ATELIER_SANDBOX: 'on',
    SANDBOX_TEST_HOOKS: 'true',
    // This is a test server: the hooks above and any sandbox key are allowed although it runs in production mode.
    ATELIER_TEST_SERVER: 'true',
    SANDBOX_SCHEDULE: 'fast',
    SANDBOX_DATA_DIR: path.join(e2eDir, 'sandbox'),
    MEDIA_DIR: path.join(e2eDir, 'media'),
    ATELIER_MASTER_KEY: 'ZTJlLW1hc3Rlci1rZXktbm90LWZvci1wcm9kdWN0aW8=',
    // "Real" provider keys entered in Settings talk to the built-in sandbox, which accepts any key as an account.
    RENDERNET_BASE_URL: `http://127.0.0.1:${port}/sandbox/rendernet`,
    QOLABA_BASE_URL: `http://127.0.0.1:${port}/sandbox/qolaba`,
    LOG_LEVEL: 'debug',
    // Every journey signs up its own people from 127.0.0.1; the default limit (30 an hour) is for real networks.
    ATELIER_SIGNUPS_PER_HOUR: '1000',
    // The same for sign-in attempts per address (the tight per-email limits stay as they are).
    ATELIER_SIGN_INS_PER_ADDRESS: '1000',
    // Nothing balances load in front of it: when Playwright ends it, stop listening at once (lib/shutdown.mjs).
    ATELIER_SHUTDOWN_DELAY: '0',
  },
});
// The database's address (the app's role), for journeys that must put a row in place that no user action makes quickly
// (e2e/jobs-admin.spec.ts: a job that has exhausted its attempts).
writeFileSync(path.join(e2eDir, 'database-url'), database.url);
// The server's process id, for journeys that measure it (e2e/upload-limits.spec.ts reads its memory).
if (child.pid) writeFileSync(path.join(e2eDir, 'next.pid'), String(child.pid));
for (const stream of [child.stdout, child.stderr]) {
  stream?.on('data', (chunk) => {
    log.write(chunk);
    (stream === child.stderr ? process.stderr : process.stdout).write(chunk);
  });
}

let closing = false;
async function shutdown(code = 0) {
  if (closing) return;
  closing = true;
  child.kill('SIGTERM');
  await database.close().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
child.on('exit', (code) => void shutdown(code ?? 0));
