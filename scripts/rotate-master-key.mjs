// @ts-check
/**
 * `npm run keys:rotate`: re-seals every stored provider key under ATELIER_MASTER_KEY. Procedure (docs in README):
 *   1. generate a new key (openssl rand -base64 32);
 *   2. configure ATELIER_MASTER_KEY=<new> and ATELIER_PREVIOUS_MASTER_KEYS=<old> and restart the app (it reads both);
 *   3. run this command (same environment / .env as the app; DATABASE_URL, or the embedded development cluster as
 *      its app role: re-sealing reads and updates rows and appends audit entries, which the app role may do);
 *   4. once it reports nothing unreadable, remove ATELIER_PREVIOUS_MASTER_KEYS and restart.
 * In development without ATELIER_MASTER_KEY it uses .data/master-key, as `npm run dev` does.
 * Exits 1 if any key could not be opened with the keys given (it lists which workspace and provider).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nextEnv from '@next/env';
import pg from 'pg';
import { DATA_DIR, startDevDatabase } from './lib/dev-database.mjs';
import { REPO_ROOT } from './lib/migrations.mjs';
import { rotateProviderKeys } from '../lib/crypto/rotate.mjs';

nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });

const devKeyFile = path.join(DATA_DIR, 'master-key');
const current = process.env.ATELIER_MASTER_KEY || (existsSync(devKeyFile) ? readFileSync(devKeyFile, 'utf8').trim() : '');
if (!current) {
  console.error('keys:rotate: set ATELIER_MASTER_KEY to the new master key (and ATELIER_PREVIOUS_MASTER_KEYS to the old ones).');
  process.exit(1);
}
const previous = (process.env.ATELIER_PREVIOUS_MASTER_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);

/** @type {{ appUrl: string, stop: () => Promise<void> } | null} */
let embedded = null;
let code = 0;
try {
  if (!process.env.DATABASE_URL) embedded = await startDevDatabase();
  const databaseUrl = process.env.DATABASE_URL || /** @type {{ appUrl: string }} */ (embedded).appUrl;
  const connection = new pg.Client({ connectionString: databaseUrl });
  await connection.connect();
  try {
    const result = await rotateProviderKeys(connection, { current, previous });
    console.log(`Re-sealed ${result.rotated} provider key(s); ${result.alreadyCurrent} already used the current master key.`);
    if (result.unreadable.length > 0) {
      code = 1;
      console.error(`${result.unreadable.length} key(s) could not be opened with the keys given (add the old key to ATELIER_PREVIOUS_MASTER_KEYS, or have an admin enter them again):`);
      for (const row of result.unreadable) console.error(`  - workspace ${row.workspaceId}, ${row.provider}`);
    }
  } finally {
    await connection.end();
  }
} catch (error) {
  console.error(`keys:rotate failed: ${error instanceof Error ? error.message : error}`);
  code = 1;
} finally {
  await embedded?.stop().catch(() => {});
}
process.exit(code);
