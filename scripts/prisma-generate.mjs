// @ts-check
/**
 * `prisma generate` that works offline and without DATABASE_URL (postinstall on a fresh clone). The Prisma CLI
 * looks for a native schema engine before every command and cannot download one here; generate never runs it, so
 * PRISMA_SCHEMA_ENGINE_BINARY may name any existing file (this Node binary) unless already set. Exits with prisma's code.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The CLI's own entry file, run with this Node: what node_modules/.bin/prisma points at, minus shell shims.
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');

const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.error) console.error(`prisma generate could not run: ${result.error.message}`);
process.exit(result.status ?? 1);
