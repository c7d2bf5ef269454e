import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appPrivilegeStatements, grantAppPrivileges, resolveMigrationTarget } from "./db-roles.mjs";

// The test run's database (test/global-setup.ts): tests connect as the app role, exactly as the app does.
const appUrl = inject("databaseUrl");
const ownerUrl = inject("databaseOwnerUrl");
const appRole = inject("databaseAppRole");
const ownerRole = decodeURIComponent(new URL(ownerUrl).username);

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Refused by PostgreSQL's privilege system, not by the append-only trigger (whose message says "append-only"). */
const PRIVILEGE_REFUSAL = /^(permission denied|must be owner)/;

/** Every privilege the app role holds on the tables, sequences and schema public, as sorted "object: privilege" lines. */
async function privilegesOf(client: pg.Client, role: string) {
  const { rows } = await client.query<{ line: string }>(
    `SELECT c.relname || ': ' || p AS line
       FROM pg_class c, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND has_table_privilege($1, c.oid, p)
     UNION ALL
     SELECT c.relname || ': ' || p FROM pg_class c, unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) AS p
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S' AND has_sequence_privilege($1, c.oid, p)
     UNION ALL
     SELECT 'schema public: ' || p FROM unnest(ARRAY['USAGE', 'CREATE']) AS p WHERE has_schema_privilege($1, 'public', p)
     ORDER BY 1`,
    [role],
  );
  return rows.map((row) => row.line);
}

/** The raw access lists of every table and sequence, to prove a second grant run changes nothing at all. */
async function accessLists(client: pg.Client) {
  const { rows } = await client.query<{ relname: string; acl: string[] | null }>(
    `SELECT relname, ARRAY(SELECT a::text FROM unnest(relacl) AS a ORDER BY 1) AS acl
       FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S') ORDER BY relname`,
  );
  return rows;
}

describe.skipIf(!appRole)("the app's database role (least privilege)", () => {
  let app: pg.Client;
  let owner: pg.Client;
  const refused = async (sql: string) => {
    const error = await app.query(sql).then(
      () => null,
      (e: unknown) => e as { code?: string; message: string },
    );
    expect(error, sql).not.toBeNull();
    expect(error!.code, `${sql}: ${error!.message}`).toBe("42501"); // insufficient_privilege
    expect(error!.message, sql).toMatch(PRIVILEGE_REFUSAL);
  };

  beforeAll(async () => {
    app = await connect(appUrl);
    owner = await connect(ownerUrl);
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
  });

  it("is not a superuser, owns nothing and cannot become the owner", async () => {
    const { rows } = await app.query(
      `SELECT current_user AS role, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb, r.rolinherit,
              (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned,
              (SELECT count(*)::int FROM pg_auth_members WHERE member = r.oid) AS memberships,
              current_setting('is_superuser') AS "isSuperuser"
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({
      role: appRole,
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolinherit: false,
      owned: 0,
      memberships: 0,
      isSuperuser: "off",
    });
    await refused(`SET ROLE ${app.escapeIdentifier(ownerRole)}`);
  });

  it("cannot update, delete or truncate audit entries, and they stay as written", async () => {
    const action = `probe.${randomUUID()}`;
    const inserted = await app.query<{ id: string }>(`INSERT INTO "AuditEvent" ("action") VALUES ($1) RETURNING id`, [action]);
    const id = inserted.rows[0]!.id;
    await refused(`UPDATE "AuditEvent" SET "action" = 'rewritten' WHERE id = ${id}`);
    await refused(`DELETE FROM "AuditEvent" WHERE id = ${id}`);
    await refused(`TRUNCATE "AuditEvent"`);
    await refused(`SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'id'), 1)`);
    const { rows } = await app.query(`SELECT "action" FROM "AuditEvent" WHERE id = $1`, [id]);
    expect(rows).toEqual([{ action }]);
  });

  it("cannot switch the append-only trigger off, drop it or replace its function", async () => {
    await refused(`SET session_replication_role = replica`);
    await refused(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`);
    await refused(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await refused(`DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent"`);
    await refused(`DROP TRIGGER "AuditEvent_no_truncate" ON "AuditEvent"`);
    await refused(`DROP FUNCTION "atelier_audit_append_only"() CASCADE`);
    await refused(`ALTER TABLE "AuditEvent" RENAME TO "AuditEventOld"`);
    const { rows } = await owner.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass ORDER BY 1`);
    expect(rows).toEqual([
      { tgname: "AuditEvent_append_only", tgenabled: "O" },
      { tgname: "AuditEvent_no_truncate", tgenabled: "O" },
    ]);
  });

  it("cannot change the schema or read the migration history", async () => {
    await refused(`ALTER TABLE "Board" ADD COLUMN "probe" integer`);
    await refused(`CREATE TABLE "Probe" ("id" integer)`);
    await refused(`CREATE FUNCTION "probe"() RETURNS integer LANGUAGE sql AS 'SELECT 1'`);
    await refused(`SELECT * FROM "_prisma_migrations"`);
    await refused(`TRUNCATE "RateLimit"`);
  });

  it("reads and writes the rows of the other tables, sequences included", async () => {
    // A job of a queue no worker serves: its id comes from a sequence.
    const queue = `probe-${randomUUID()}`;
    const inserted = await app.query<{ id: string }>(`INSERT INTO "Job" ("queue", "payload", "updatedAt") VALUES ($1, '{}'::jsonb, now()) RETURNING id`, [queue]);
    expect(inserted.rowCount).toBe(1);
    expect((await app.query(`UPDATE "Job" SET "lastError" = 'b' WHERE "queue" = $1`, [queue])).rowCount).toBe(1);
    expect((await app.query(`SELECT "lastError" FROM "Job" WHERE "queue" = $1`, [queue])).rows).toEqual([{ lastError: "b" }]);
    expect((await app.query(`DELETE FROM "Job" WHERE "queue" = $1`, [queue])).rowCount).toBe(1);
    expect((await app.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE id < 0`)).rows).toEqual([{ n: 0 }]);
  });

  it("is granted exactly the app's privileges, and granting again changes nothing", async () => {
    const tables = (await owner.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`)).rows
      .map((row) => row.relname)
      .filter((name) => !name.startsWith("grant_probe_")); // another test's scratch table, if it runs at the same time
    expect(tables).toEqual(expect.arrayContaining(["AuditEvent", "_prisma_migrations", "User", "Media"]));
    const granted = (await privilegesOf(owner, appRole)).filter((line) => !line.startsWith("grant_probe_"));
    for (const table of tables) {
      const held = granted.filter((line) => line.startsWith(`${table}: `)).map((line) => line.slice(table.length + 2));
      const expected = table === "AuditEvent" ? ["INSERT", "SELECT"] : table === "_prisma_migrations" ? [] : ["DELETE", "INSERT", "SELECT", "UPDATE"];
      expect(held.sort(), table).toEqual(expected);
    }
    expect(granted.filter((line) => line.startsWith("schema public"))).toEqual(["schema public: USAGE"]);
    expect(granted).toContain("AuditEvent_id_seq: USAGE");
    expect(granted).not.toContain("AuditEvent_id_seq: UPDATE");

    const before = await accessLists(owner);
    await grantAppPrivileges(ownerUrl, appRole);
    await grantAppPrivileges(ownerUrl, appRole);
    expect(await accessLists(owner)).toEqual(before);
  });

  it("covers a table created after the last grant once the grants run again", async () => {
    const table = `grant_probe_${randomUUID().slice(0, 8)}`;
    const t = owner.escapeIdentifier(table);
    await owner.query(`CREATE TABLE ${t} ("id" bigserial PRIMARY KEY, "note" text)`);
    try {
      await refused(`SELECT * FROM ${t}`); // no default privileges: a new table is closed until granted
      await grantAppPrivileges(ownerUrl, appRole);
      await app.query(`INSERT INTO ${t} ("note") VALUES ('a')`);
      await app.query(`UPDATE ${t} SET "note" = 'b'`);
      expect((await app.query(`SELECT "note" FROM ${t}`)).rows).toEqual([{ note: "b" }]);
      await app.query(`DELETE FROM ${t}`);
      await refused(`TRUNCATE ${t}`);
      await refused(`ALTER TABLE ${t} ADD COLUMN "x" integer`);
      await refused(`UPDATE "AuditEvent" SET "action" = 'x' WHERE false`); // the append-only table is still closed
    } finally {
      await owner.query(`DROP TABLE ${t}`);
    }
  });

  it("refuses to grant to a role that could undo it: the owner, a superuser, a member of the owner", async () => {
    await expect(grantAppPrivileges(ownerUrl, ownerRole)).rejects.toThrow(/is the role running the migrations/);
    const suffix = randomUUID().slice(0, 8);
    const superuser = `probe_super_${suffix}`;
    const member = `probe_member_${suffix}`;
    await owner.query(`CREATE ROLE ${superuser} SUPERUSER`);
    await owner.query(`CREATE ROLE ${member} NOINHERIT`);
    await owner.query(`GRANT ${owner.escapeIdentifier(ownerRole)} TO ${member}`);
    try {
      await expect(grantAppPrivileges(ownerUrl, superuser)).rejects.toThrow(/is a superuser/);
      await expect(grantAppPrivileges(ownerUrl, member)).rejects.toThrow(/can act as, .*, which owns tables/);
      await expect(grantAppPrivileges(ownerUrl, `missing_${suffix}`)).rejects.toThrow(/does not exist/);
      // Refused before anything was granted.
      expect((await privilegesOf(owner, member)).filter((line) => !line.startsWith("schema public"))).toEqual([]);
    } finally {
      await owner.query(`DROP ROLE ${superuser}`);
      await owner.query(`REVOKE ${owner.escapeIdentifier(ownerRole)} FROM ${member}`);
      await owner.query(`DROP ROLE ${member}`);
    }
  });
});

describe("the grants an admin runs by hand", () => {
  const root = path.resolve(import.meta.dirname, "..", "..");
  it.each(["docs/database-roles.md", "README.md"])("are printed in %s exactly as grantAppPrivileges runs them", (file) => {
    const text = readFileSync(path.join(root, file), "utf8");
    const block = /<!-- app-grants:start -->\s*```sql\n([\s\S]*?)```\s*<!-- app-grants:end -->/.exec(text)?.[1];
    expect(block, `${file} has no app-grants block`).toBeDefined();
    const printed = block!.split("\n").filter((line) => line.trim() && !line.startsWith("--"));
    expect(printed).toEqual(appPrivilegeStatements("atelier_app"));
  });
});

describe("resolveMigrationTarget: which role migrates and which is granted", () => {
  const owner = "postgresql://atelier_owner:o@db.internal:5432/atelier";
  const app = "postgresql://atelier_app:a@db.internal:5432/atelier";

  it("migrates as DATABASE_MIGRATION_URL and grants to DATABASE_URL's user", () => {
    expect(resolveMigrationTarget({ DATABASE_MIGRATION_URL: owner, DATABASE_URL: app })).toEqual({ migrationUrl: owner, appRole: "atelier_app" });
  });
  it("grants to DATABASE_APP_ROLE when it is named, even without DATABASE_URL", () => {
    expect(resolveMigrationTarget({ DATABASE_MIGRATION_URL: owner, DATABASE_APP_ROLE: " web " })).toEqual({ migrationUrl: owner, appRole: "web" });
  });
  it("falls back to DATABASE_URL alone (one role, as before) and grants nothing", () => {
    expect(resolveMigrationTarget({ DATABASE_URL: app })).toEqual({ migrationUrl: app, appRole: null });
    expect(resolveMigrationTarget({ DATABASE_MIGRATION_URL: app, DATABASE_URL: app.replace(":a@", ":other@") })).toEqual({ migrationUrl: app, appRole: null });
  });
  it("says nothing is configured, and refuses what is not a PostgreSQL URL", () => {
    expect(resolveMigrationTarget({})).toBeNull();
    expect(() => resolveMigrationTarget({ DATABASE_MIGRATION_URL: "mysql://x@y/z", DATABASE_URL: app })).toThrow(/DATABASE_MIGRATION_URL must be/);
  });
});
