// @ts-check
/**
 * Least privilege in PostgreSQL: two roles per database (docs/database-roles.md).
 * - The owner owns the schema and every table and runs migrations (DATABASE_MIGRATION_URL; in the embedded cluster
 *   the superuser `atelier`).
 * - The app role is what the running app connects as (DATABASE_URL; embedded: `atelier_app`). It is no superuser,
 *   owns nothing, belongs to no other role, and may only read and write rows: SELECT/INSERT/UPDATE/DELETE on every
 *   table, but only SELECT/INSERT on "AuditEvent" (so it cannot UPDATE, DELETE or TRUNCATE the audit log, nor ALTER
 *   or disable its trigger, nor `SET session_replication_role`), and nothing at all on "_prisma_migrations".
 *
 * Contract:
 * - grantAppPrivileges(ownerUrl, role) is idempotent and run after every migration run (applyMigrations' `appRole`),
 *   so a table added by a migration is covered at once. It first strips every table and sequence privilege the role
 *   holds in schema public, then grants exactly the set above, in one transaction (other sessions never see a
 *   half-granted state) under an advisory lock (concurrent callers take turns). It refuses a role that could undo
 *   the point: the caller itself, a superuser, or a member of a role owning a table.
 *   No ALTER DEFAULT PRIVILEGES on purpose: a table created by another tool is unreadable to the app until the grants
 *   run again (it fails closed) instead of being writable by default, audit-like tables included.
 * - ensureAppRole(ownerUrl, { role, password }) makes a login role safe for this use, creating it if missing (for
 *   clusters we manage ourselves: the embedded one, and test databases). Its password travels as a SCRAM verifier,
 *   so the plaintext never appears in a statement (a failing statement is logged by the server with its text).
 * - resolveMigrationTarget(env) reads the variables of `npm run db:migrate` on your own server.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';

/** The app role of the embedded clusters (development and tests). */
export const EMBEDDED_APP_ROLE = 'atelier_app';

/** Tables the app may read and append to, never change: an UPDATE, DELETE or TRUNCATE there rewrites history. */
export const APPEND_ONLY_TABLES = ['AuditEvent'];
/** Tables the app has no business reading at all. */
export const PRIVATE_TABLES = ['_prisma_migrations'];

const GRANT_LOCK = 'atelier:grant-app-privileges';

/**
 * The statements that give `role` exactly the app's privileges, in order. Statements on a table that does not
 * exist (yet) are left out when `existing` is given. docs/database-roles.md prints them for role atelier_app;
 * a test keeps the two equal.
 * @param {string} role
 * @param {{ existing?: Set<string> }} [options]
 * @returns {string[]}
 */
export function appPrivilegeStatements(role, { existing } = {}) {
  const r = pg.escapeIdentifier(role);
  const has = (/** @type {string} */ table) => !existing || existing.has(table);
  return [
    // No CREATE on the schema (PostgreSQL 14 and older also give it to PUBLIC: see the docs), only USAGE.
    `REVOKE ALL ON SCHEMA public FROM ${r};`,
    `GRANT USAGE ON SCHEMA public TO ${r};`,
    // Start from nothing, so a privilege granted by hand (TRUNCATE, TRIGGER, REFERENCES ...) does not survive.
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};`,
    ...APPEND_ONLY_TABLES.filter(has).map((t) => `REVOKE UPDATE, DELETE ON ${pg.escapeIdentifier(t)} FROM ${r};`),
    ...PRIVATE_TABLES.filter(has).map((t) => `REVOKE ALL ON ${pg.escapeIdentifier(t)} FROM ${r};`),
    // Sequences: nextval (USAGE) and currval (SELECT), never setval (UPDATE).
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${r};`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};`,
  ];
}

/**
 * Grants `role` the app's privileges on the database `ownerUrl` points at, connected as its owner.
 * @param {string} ownerUrl
 * @param {string} role
 */
export async function grantAppPrivileges(ownerUrl, role) {
  await withClient(ownerUrl, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [GRANT_LOCK]);
      const { rows } = await client.query(
        `SELECT r.rolsuper AS superuser, r.rolname = current_user AS "isCaller",
                (SELECT string_agg(DISTINCT o.rolname, ', ') FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner
                  WHERE c.relnamespace = 'public'::regnamespace AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS "ownerRoles",
                has_database_privilege(r.oid, current_database(), 'CONNECT') AS "canConnect",
                current_database() AS database
           FROM pg_roles r WHERE r.rolname = $1`,
        [role],
      );
      const found = rows[0];
      if (!found) throw new Error(`Database role "${role}" does not exist: create it first (docs/database-roles.md)`);
      if (found.isCaller) {
        throw new Error(`The app role "${role}" is the role running the migrations: the app needs a role of its own (docs/database-roles.md)`);
      }
      if (found.superuser) throw new Error(`The app role "${role}" is a superuser: it could erase the audit log whatever is granted (docs/database-roles.md)`);
      if (found.ownerRoles) {
        throw new Error(`The app role "${role}" is, or can act as, ${found.ownerRoles}, which owns tables: revoke that membership (docs/database-roles.md)`);
      }
      // Every role may connect by default (PUBLIC); grant it only where that default was taken away.
      if (!found.canConnect) await client.query(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(found.database)} TO ${pg.escapeIdentifier(role)}`);
      const tables = await client.query(
        `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = ANY($1::text[])`,
        [[...APPEND_ONLY_TABLES, ...PRIVATE_TABLES]],
      );
      const existing = new Set(tables.rows.map((row) => String(row.relname)));
      for (const statement of appPrivilegeStatements(role, { existing })) await client.query(statement);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

/**
 * Creates the login role `role` if it is missing, and otherwise makes it what the app role must be: LOGIN
 * NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS, member of no role, with `password`.
 * Writes nothing when the role is already so (checked by logging in with the password).
 * @param {string} ownerUrl a role allowed to create and alter roles (the embedded superuser)
 * @param {{ role: string, password: string }} options
 * @returns {Promise<'created' | 'updated' | 'unchanged'>}
 */
export async function ensureAppRole(ownerUrl, { role, password }) {
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS';
  const r = pg.escapeIdentifier(role);
  return withClient(ownerUrl, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { rows } = await client.query(
          `SELECT r.rolcanlogin AND NOT (r.rolsuper OR r.rolcreatedb OR r.rolcreaterole OR r.rolinherit OR r.rolreplication OR r.rolbypassrls) AS safe,
                  ARRAY(SELECT m.roleid::regrole::text FROM pg_auth_members m WHERE m.member = r.oid) AS memberships
             FROM pg_roles r WHERE r.rolname = $1`,
          [role],
        );
        const found = rows[0];
        if (!found) {
          await client.query(`CREATE ROLE ${r} ${attributes} PASSWORD ${client.escapeLiteral(scramVerifier(password))}`);
          return 'created';
        }
        let changed = false;
        for (const membership of /** @type {string[]} */ (found.memberships)) {
          await client.query(`REVOKE ${membership} FROM ${r}`);
          changed = true;
        }
        const passwordWorks = await canLogIn(withCredentials(ownerUrl, role, password));
        if (!found.safe || !passwordWorks) {
          await client.query(`ALTER ROLE ${r} ${attributes} PASSWORD ${client.escapeLiteral(scramVerifier(password))}`);
          changed = true;
        }
        return changed ? 'updated' : 'unchanged';
      } catch (error) {
        // Another process created or altered the role at the same moment: look again.
        const code = /** @type {{ code?: string }} */ (error).code;
        const concurrent = code === '42710' || code === '23505' || /tuple concurrently updated/.test(String(error));
        if (!concurrent || attempt >= 2) throw error;
      }
    }
  });
}

/**
 * Where `npm run db:migrate` (and `npm run dev` on your own server) applies migrations, and which role it grants to.
 * - migrationUrl: DATABASE_MIGRATION_URL (the owner), else DATABASE_URL (one role for everything, as before).
 * - appRole: DATABASE_APP_ROLE, else DATABASE_URL's user when that differs from the migration URL's; null when the
 *   app evidently connects as the owner (nothing to grant; the caller warns).
 * @param {Record<string, string | undefined>} env
 * @returns {{ migrationUrl: string, appRole: string | null } | null} null when neither URL is set
 */
export function resolveMigrationTarget(env) {
  const appUrl = env.DATABASE_URL || '';
  const migrationUrl = env.DATABASE_MIGRATION_URL || appUrl;
  if (!migrationUrl) return null;
  for (const [name, value] of [['DATABASE_MIGRATION_URL', env.DATABASE_MIGRATION_URL], ['DATABASE_URL', appUrl]]) {
    if (value && !/^postgres(ql)?:\/\//.test(value)) throw new Error(`${name} must be a postgres:// or postgresql:// URL`);
  }
  const explicit = env.DATABASE_APP_ROLE?.trim();
  if (explicit) return { migrationUrl, appRole: explicit };
  const appUser = appUrl ? userOf(appUrl) : '';
  return { migrationUrl, appRole: appUser && appUser !== userOf(migrationUrl) ? appUser : null };
}

/**
 * `url` with its user and password replaced.
 * @param {string} url
 * @param {string} user
 * @param {string} password
 */
export function withCredentials(url, user, password) {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** @param {string} url */
function userOf(url) {
  return decodeURIComponent(new URL(url).username);
}

/** @param {string} url */
async function canLogIn(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code === '28P01') return false; // password authentication failed
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677; what libpq's PQencryptPasswordConn
 * sends). The passwords we generate are ASCII, for which SASLprep changes nothing.
 * @param {string} password
 */
export function scramVerifier(password, iterations = 4096) {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * @template T
 * @param {string} url
 * @param {(client: pg.Client) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
