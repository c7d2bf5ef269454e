// @ts-check
/**
 * `npm run restore -- --from DIR [--replace]`: puts a backup made by `npm run backup` back on this machine: the
 * database into the embedded PostgreSQL's `atelier` database (or DATABASE_MIGRATION_URL's, which must be empty) and
 * the media into MEDIA_DIR (default .data/media). Stop Atelier first.
 *
 * Without --replace it refuses to overwrite anything: the database must be empty (a fresh install) and the media
 * folder empty or missing. With --replace, the embedded `atelier` database is dropped and recreated, and the current
 * media folder is moved aside to <MEDIA_DIR>.before-restore-<time>, not deleted.
 * Then it applies this checkout's newer migrations, so a backup restores into the version that made it or a later one.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import nextEnv from '@next/env';
import { readManifest, restoreDatabase, restoreMedia } from './lib/backup.mjs';
import { DATA_DIR, REPO_ROOT, startEmbeddedDatabase } from './lib/dev-database.mjs';
import { pgPortFromEnv } from './lib/embedded-postgres.mjs';

nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });

const args = process.argv.slice(2);
const fromIndex = args.indexOf('--from');
const replace = args.includes('--replace');
const known = (/** @type {string} */ arg, /** @type {number} */ i) => arg === '--from' || arg === '--replace' || i === fromIndex + 1;
if (fromIndex < 0 || !args[fromIndex + 1] || !args.every(known)) {
  console.error('usage: npm run restore -- --from DIR [--replace]');
  process.exit(2);
}
const dir = path.resolve(/** @type {string} */ (args[fromIndex + 1]));

/** @type {{ stop: () => Promise<void> } | null} */
let database = null;
try {
  const manifest = await readManifest(dir);
  let ownerUrl = process.env.DATABASE_MIGRATION_URL;
  let appRole = process.env.DATABASE_APP_ROLE || null;
  if (!ownerUrl) {
    if (process.env.DATABASE_URL) throw new Error('DATABASE_URL is set but DATABASE_MIGRATION_URL is not: restore as the role that owns the tables, into an empty database.');
    const started = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, 'postgres'), port: pgPortFromEnv(54330), database: 'atelier', fresh: replace });
    database = started;
    ownerUrl = started.ownerUrl;
    appRole = started.appRole;
  }
  const mediaDir = path.resolve(process.env.MEDIA_DIR || path.join(DATA_DIR, 'media'));
  if (manifest.media && replace && (await fs.readdir(mediaDir).catch(() => [])).length > 0) {
    const aside = `${mediaDir}.before-restore-${Date.now()}`;
    await fs.rename(mediaDir, aside);
    console.log(`  • Moved the current media folder aside to ${aside}`);
  }
  const { rows, upgradedWith } = await restoreDatabase({ ownerUrl, dir, appRole });
  console.log(`  • Restored ${rows} rows from the backup of ${manifest.createdAt}${upgradedWith.length ? `, then applied ${upgradedWith.length} newer migration(s)` : ''}`);
  if (manifest.media) {
    await restoreMedia({ mediaDir, dir });
    console.log(`  • Restored the media into ${mediaDir}`);
  } else {
    console.log('  ! This backup holds no media (it was in an object store): restore the bucket with its own tools.');
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const hint = !replace && / not empty/.test(message) ? ' To restore over this install instead, add --replace (stop Atelier first).' : '';
  console.error(`\n  ✖ ${message}${hint}\n`);
  process.exitCode = 1;
} finally {
  await database?.stop().catch(() => {});
}
