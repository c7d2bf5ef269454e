// @ts-check
/**
 * `npm run db:migrate`: applies prisma/migrations, connected as the role that owns the schema, then grants the app's
 * role exactly the privileges it needs (scripts/lib/db-roles.mjs: read and write rows, only read and append the
 * audit log). Environment (or .env files, loaded the way Next does):
 * - DATABASE_MIGRATION_URL: the owner, who runs the migrations. Unset: DATABASE_URL (one role for everything, as
 *   before; then nothing is granted and a warning says why that is unsafe).
 * - DATABASE_URL: what the app connects as. Its user is the role granted to, unless DATABASE_APP_ROLE names it.
 * Without either URL it uses the embedded development cluster (.data/postgres, port ATELIER_PG_PORT or 54330,
 * database `atelier`; superuser `atelier`, app role `atelier_app`), starting it for the duration unless it is
 * already running. Prints one line (plus the warning); exits 1 with the reason on failure.
 */
import nextEnv from '@next/env';
import { resolveMigrationTarget } from './lib/db-roles.mjs';
import { startDevDatabase } from './lib/dev-database.mjs';
import { MIGRATIONS_DIR, REPO_ROOT, SCHEMA_PATH, applyMigrations } from './lib/migrations.mjs';

nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });

/** @type {{ stop: () => Promise<void> } | null} */
let embedded = null;
let code = 0;
try {
  let target = resolveMigrationTarget(process.env);
  if (!target) {
    const started = await startDevDatabase();
    embedded = started;
    target = { migrationUrl: started.ownerUrl, appRole: started.appRole };
  }
  const applied = await applyMigrations({ databaseUrl: target.migrationUrl, migrationsDir: MIGRATIONS_DIR, schemaPath: SCHEMA_PATH, appRole: target.appRole });
  console.log(
    (applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date') +
      (target.appRole ? `; privileges of ${target.appRole} granted` : ''),
  );
  if (!target.appRole) {
    console.warn(
      'Warning: the app connects as the role that owns the tables (DATABASE_URL), so it could erase the audit log. ' +
        'Give the app a role of its own and run migrations as the owner with DATABASE_MIGRATION_URL: see docs/database-roles.md.',
    );
  }
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : error}`);
  code = 1;
} finally {
  await embedded?.stop().catch(() => {});
}
process.exit(code);
