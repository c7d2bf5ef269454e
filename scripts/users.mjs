// @ts-check
/**
 * Administration of accounts on this server, for whoever runs it:
 *   npm run users -- list
 *   npm run users -- disable <email>     # signs them out everywhere at once and blocks sign-in
 *   npm run users -- enable <email>
 *   npm run users -- sign-out <email>    # ends every session, leaves the account usable
 * Uses DATABASE_URL (the app's role: these commands only read and write rows), or the embedded development database
 * as its app role `atelier_app` when it is unset.
 */
import pg from 'pg';
import nextEnv from '@next/env';
import { REPO_ROOT, startDevDatabase } from './lib/dev-database.mjs';

nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });
const [command, email] = process.argv.slice(2);
const usage = 'usage: npm run users -- list | disable <email> | enable <email> | sign-out <email>';
if (!command || (command !== 'list' && !email)) {
  console.error(usage);
  process.exit(2);
}

const embedded = process.env.DATABASE_URL ? null : await startDevDatabase();
const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? embedded?.appUrl });
await client.connect();
let code = 0;
try {
  if (command === 'list') {
    const { rows } = await client.query(
      `SELECT u.email, u.name, u."disabledAt", u."createdAt", (SELECT count(*) FROM "Session" s WHERE s."userId" = u.id)::int AS sessions
       FROM "User" u ORDER BY u."createdAt"`,
    );
    console.table(rows.map((r) => ({ email: r.email, name: r.name, disabled: r.disabledAt ? 'yes' : '', sessions: r.sessions, created: r.createdAt.toISOString().slice(0, 10) })));
  } else {
    const normalised = email.trim().toLowerCase();
    const { rows } = await client.query('SELECT id FROM "User" WHERE email = $1', [normalised]);
    if (rows.length === 0) {
      console.error(`No account with the email ${normalised}.`);
      code = 1;
    } else {
      const id = rows[0].id;
      if (command === 'disable') await client.query('UPDATE "User" SET "disabledAt" = now() WHERE id = $1', [id]);
      else if (command === 'enable') await client.query('UPDATE "User" SET "disabledAt" = NULL WHERE id = $1', [id]);
      else if (command !== 'sign-out') {
        console.error(usage);
        code = 2;
      }
      if (command === 'disable' || command === 'sign-out') {
        const { rowCount } = await client.query('DELETE FROM "Session" WHERE "userId" = $1', [id]);
        console.log(`Ended ${rowCount} session(s) of ${normalised}.`);
      }
      if (command === 'disable') console.log(`${normalised} is disabled and can no longer sign in.`);
      if (command === 'enable') console.log(`${normalised} can sign in again.`);
    }
  }
} finally {
  await client.end();
  if (embedded) await embedded.stop();
}
process.exit(code);
