// @ts-check
/**
 * The server Playwright tests against: a fresh, migrated `atelier_e2e` database (embedded, or beside DATABASE_URL's
 * when that is set) and the production build (`next start`). Stops both when Playwright ends it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, REPO_ROOT, openTestDatabase } from './lib/dev-database.mjs';

const port = process.env.E2E_PORT || '3100';
const database = await openTestDatabase('atelier_e2e');
// Media and the sandbox's accounts start empty on every run, like the database.
const e2eDir = path.join(DATA_DIR, 'e2e');
rmSync(e2eDir, { recursive: true, force: true });
mkdirSync(e2eDir, { recursive: true });

const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', port, '-H', '127.0.0.1'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    AUTH_SECRET: 'e2e-secret-not-for-production-0123456789abcdef',
    AUTH_TRUST_HOST: 'true',
    AUTH_URL: `http://127.0.0.1:${port}`,
    PORT: port,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // Journeys run against the built-in sandbox provider, with its fast schedule and test hooks.
    ATELIER_SANDBOX: 'on',
    SANDBOX_TEST_HOOKS: 'true',
    SANDBOX_SCHEDULE: 'fast',
    SANDBOX_DATA_DIR: path.join(e2eDir, 'sandbox'),
    MEDIA_DIR: path.join(e2eDir, 'media'),
  },
});

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
