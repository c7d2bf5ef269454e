// @ts-check
/**
 * `npm run backup -- [--out DIR]`: a backup of this machine's Atelier, the database and the media folder, into a new
 * folder (default ./atelier-backup-<UTC time>). What is in it and why it is made this way: scripts/lib/backup.mjs;
 * how to keep and restore it: docs/deploy.md.
 *
 * Which database: DATABASE_MIGRATION_URL (the owner) when set, else the embedded PostgreSQL of `npm start`
 * (.data/postgres), started for the backup if it is not running. The app may keep running meanwhile.
 * Which media: MEDIA_DIR (default .data/media); none when STORAGE_DRIVER=s3 (back the bucket up with the store's own
 * tools: docs/deploy.md).
 */
import path from 'node:path';
import nextEnv from '@next/env';
import { createBackup } from './lib/backup.mjs';
import { DATA_DIR, REPO_ROOT, startDevDatabase } from './lib/dev-database.mjs';

nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
if (args.some((arg, i) => arg !== '--out' && i !== outIndex + 1) || (outIndex >= 0 && !args[outIndex + 1])) {
  console.error('usage: npm run backup -- [--out DIR]');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
const dir = path.resolve(outIndex >= 0 ? /** @type {string} */ (args[outIndex + 1]) : `atelier-backup-${stamp}`);

/** @type {{ stop: () => Promise<void> } | null} */
let database = null;
try {
  let ownerUrl = process.env.DATABASE_MIGRATION_URL;
  if (!ownerUrl) {
    if (process.env.DATABASE_URL) {
      throw new Error('DATABASE_URL is set but DATABASE_MIGRATION_URL is not: the backup reads as the role that owns the tables (or use pg_dump: docs/deploy.md).');
    }
    const started = await startDevDatabase();
    database = started;
    ownerUrl = started.ownerUrl;
  }
  const mediaDir = process.env.STORAGE_DRIVER === 's3' ? null : path.resolve(process.env.MEDIA_DIR || path.join(DATA_DIR, 'media'));
  const manifest = await createBackup({ ownerUrl, mediaDir, dir });
  const rows = Object.values(manifest.rows).reduce((sum, n) => sum + n, 0);
  console.log(`  • Backed up ${rows} rows (${manifest.migrations.length} migrations)${mediaDir ? ` and ${path.relative(process.cwd(), mediaDir) || '.'}` : ''} into ${dir}`);
  if (!mediaDir) console.log('  ! Media is in an object store: back up the bucket with its own tools (docs/deploy.md).');
  console.log('    Keep a copy on another machine. Restore: npm run restore -- --from <that folder>');
} catch (error) {
  console.error(`\n  ✖ ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
} finally {
  await database?.stop().catch(() => {});
}
