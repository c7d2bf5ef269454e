// @ts-check
/**
 * `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (from the environment or .env files, loaded the
 * way Next does). Without DATABASE_URL it uses the embedded development cluster (.data/postgres, port
 * ATELIER_PG_PORT or 54330, database `atelier`), starting it for the duration unless it is already running.
 * Prints one line; exits 1 with the reason on failure.
 */
import nextEnv from '@next/env';
import { startDevDatabase } from './lib/dev-database.mjs';
import { MIGRATIONS_DIR, REPO_ROOT, SCHEMA_PATH, applyMigrations } from './lib/migrations.mjs';

nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });

/** @type {{ url: string, stop: () => Promise<void> } | null} */
let embedded = null;
let code = 0;
try {
  if (!process.env.DATABASE_URL) embedded = await startDevDatabase();
  const databaseUrl = process.env.DATABASE_URL || /** @type {{ url: string }} */ (embedded).url;
  const applied = await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR, schemaPath: SCHEMA_PATH });
  console.log(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date');
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : error}`);
  code = 1;
} finally {
  await embedded?.stop().catch(() => {});
}
process.exit(code);
