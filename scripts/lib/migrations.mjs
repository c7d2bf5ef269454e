// @ts-check
/**
 * Offline Prisma migrations through @prisma/schema-engine-wasm (no native schema-engine binary needed).
 *
 * Contract:
 * - applyMigrations({ databaseUrl, migrationsDir, schemaPath? }) applies the not yet applied folders of
 *   `migrationsDir` (`<YYYYMMDDHHMMSS>_<name>/migration.sql`, in name order) and returns their names ([] when up
 *   to date). History lives in the standard `_prisma_migrations` table (same checksums), so the stock
 *   `prisma migrate` CLI works on the same database and folder. Each migration runs as one transaction; a failing
 *   one throws "Migration <name> failed: <database error>", is recorded as failed, and later runs refuse until it
 *   is resolved, exactly like `prisma migrate deploy`. Concurrent callers serialise on the engine's advisory lock.
 *   `databaseUrl` must be the owner's (it creates and alters tables). With `appRole`, the app role's privileges
 *   are granted afterwards (scripts/lib/db-roles.mjs), on every run even when nothing was applied, so new tables
 *   are covered and a database migrated by another tool is put right.
 * - diffSchemas({ fromSchema, toSchema, databaseUrl }) returns the SQL script turning schema text `fromSchema`
 *   (null = empty database) into `toSchema`, or '' when there is nothing to change. No database state is read,
 *   but the engine cannot be constructed without a live connection: on creation it runs one read-only query
 *   (version(), current schema). Any reachable PostgreSQL will do.
 * - Both free the engine and close their connections before returning.
 * - Path constants below are the repository layout shared by the db scripts, the dev launcher and test setup.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { grantAppPrivileges } from './db-roles.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMA_PATH = path.join(REPO_ROOT, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma', 'migrations');

const EMPTY_DIFF = '-- This is an empty migration.';
const FILTERS = { externalTables: [], externalEnums: [] };

/**
 * @param {{ databaseUrl: string, migrationsDir?: string, schemaPath?: string | null, appRole?: string | null }} options
 *   Defaults: MIGRATIONS_DIR and SCHEMA_PATH. The engine reads only the datasource's `schemas` (multiSchema) from
 *   the schema; pass null (or a missing file) to skip it. `appRole`: the role to grant the app's privileges to.
 * @returns {Promise<string[]>} names of the migrations applied by this call
 */
export async function applyMigrations({ databaseUrl, migrationsDir = MIGRATIONS_DIR, schemaPath = SCHEMA_PATH, appRole = null }) {
  const migrationsList = await readMigrationList(migrationsDir);
  const schema = schemaPath ? await fs.readFile(schemaPath, 'utf8').catch(() => null) : null;
  const datamodels = schema === null ? undefined : [[path.basename(/** @type {string} */ (schemaPath)), schema]];
  const applied = await withEngine(databaseUrl, datamodels, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: FILTERS });
    return /** @type {string[]} */ (appliedMigrationNames);
  });
  if (appRole) await grantAppPrivileges(databaseUrl, appRole);
  return applied;
}

/**
 * @param {{ fromSchema: string | null, toSchema: string, databaseUrl: string }} options
 * @returns {Promise<string>} SQL script ('' if the schemas are equivalent)
 */
export async function diffSchemas({ fromSchema, toSchema, databaseUrl }) {
  const target = (/** @type {string} */ content) => ({ tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] });
  return withEngine(databaseUrl, undefined, async (engine) => {
    const { stdout } = await engine.diff({
      from: fromSchema === null ? { tag: 'empty' } : target(fromSchema),
      to: target(toSchema),
      script: true,
      exitCode: null,
      filters: FILTERS,
    });
    const sql = (stdout ?? '').trim();
    return sql === '' || sql === EMPTY_DIFF ? '' : `${sql}\n`;
  });
}

/**
 * Reads `migrationsDir` the way Prisma's CLI does (a missing folder is an empty list).
 * @param {string} migrationsDir
 */
export async function readMigrationList(migrationsDir) {
  const baseDir = path.resolve(migrationsDir);
  const lockPath = 'migration_lock.toml';
  const lockContent = await fs.readFile(path.join(baseDir, lockPath), 'utf8').catch(() => null);
  const entries = await fs.readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  dirs.sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => {
      const content = await fs
        .readFile(path.join(baseDir, name, 'migration.sql'), 'utf8')
        .then((value) => ({ tag: 'ok', value }))
        .catch((/** @type {Error} */ error) => ({ tag: 'error', value: error.message }));
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  return { baseDir, lockfile: { path: lockPath, content: lockContent }, shadowDbInitScript: '', migrationDirectories };
}

/** @type {Promise<any> | undefined} */
let engineModule;

/**
 * Instantiates the wasm-bindgen module by hand: the package entry does `import * as wasm from "./x.wasm"`, which
 * Node only supports behind --experimental-wasm-modules. The wasm imports exactly one module, named
 * "./schema_engine_bg.js" (the JS glue). Its setTimeout import is unref'd: the engine arms 10 s timers it never
 * clears, which would otherwise keep every script alive 10 s after its work is done.
 */
function loadSchemaEngine() {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    /** @type {WebAssembly.ModuleImports} */
    const imports = { ...glue };
    for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (/** @type {() => void} */ callback, /** @type {number} */ ms) => setTimeout(callback, ms >>> 0).unref();
    }
    const bytes = await fs.readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
    glue.__wbg_set_wasm(instance.exports);
    /** @type {any} */ (instance.exports).__wbindgen_start?.();
    return glue;
  })();
  return engineModule;
}

/** Last Rust panic message: the engine reports panics via globalThis.PRISMA_WASM_PANIC_REGISTRY.set_message. */
let lastPanic = '';

/**
 * Runs `fn` with a schema engine connected to `databaseUrl` through the pg driver adapter.
 * @template T
 * @param {string} databaseUrl
 * @param {string[][] | undefined} datamodels [fileName, content] pairs
 * @param {(engine: any) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withEngine(databaseUrl, datamodels, fn) {
  const [{ SchemaEngine }, { PrismaPg }, { bindMigrationAwareSqlAdapterFactory }] = await Promise.all([
    loadSchemaEngine(),
    import('@prisma/adapter-pg'),
    import('@prisma/driver-adapter-utils'),
  ]);
  const g = /** @type {any} */ (globalThis);
  g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (/** @type {string} */ message) => void (lastPanic = message) };
  // Our own pool, closed below whatever the engine did with its adapter. One connection, so the engine's
  // session-level advisory lock and its queries share a session as with the native engine; the engine runs one
  // statement at a time and opens no transaction for diff/applyMigrations (the timeout only guards a deadlock).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 30_000, allowExitOnIdle: true });
  pool.on('error', () => {}); // idle-client errors surface through the next query instead
  /**
   * adapter-pg's executeScript splits scripts on every ';' (breaking string literals and function bodies) and runs
   * the pieces one by one. Send each migration as one simple-protocol query instead, like the native engine:
   * PostgreSQL then runs it as one implicit transaction, so a failing migration leaves no partial changes.
   */
  class ScriptPrismaPg extends PrismaPg {
    async connect() {
      const adapter = await super.connect();
      adapter.executeScript = async (/** @type {string} */ script) => {
        await pool.query(script).catch((error) => /** @type {any} */ (adapter).onError(error));
      };
      return adapter;
    }
  }
  let engine;
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new ScriptPrismaPg(pool));
    // Options: initial datamodels (may be undefined). Callback: receives each engine log line as JSON; unused.
    engine = await SchemaEngine.new({ datamodels }, () => {}, adapter);
    return await fn(engine);
  } catch (error) {
    throw engineError(error);
  } finally {
    engine?.free();
    await pool.end();
  }
}

/**
 * Engine errors carry a Rust span trace after the message; keep the message and name the failing migration.
 * @param {unknown} error
 */
function engineError(error) {
  if (error instanceof WebAssembly.RuntimeError) {
    engineModule = undefined; // no call is safe after a panic: instantiate afresh next time
    return new Error(`Schema engine panicked: ${lastPanic || error.message}`, { cause: error });
  }
  if (!(error instanceof Error)) return new Error(String(error));
  const [message = '', trace = ''] = error.message.split(/\n\s+0: /);
  const migration = /migration_name="([^"]+)"/.exec(trace)?.[1];
  const text = message.replace(/^external connector error\n/, '').trim();
  return new Error(migration ? `Migration ${migration} failed: ${text}` : text, { cause: error });
}
