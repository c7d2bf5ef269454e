import { mkdtempSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { EMBEDDED_APP_ROLE } from "./db-roles.mjs";
import { startEmbeddedDatabase } from "./dev-database.mjs";
import { startEmbeddedPostgres } from "./embedded-postgres.mjs";
import { applyMigrations } from "./migrations.mjs";

/**
 * The launcher on a developer's existing cluster: .data/postgres made before the app role existed, with migrated
 * tables and audit entries. The next start (what `npm run dev` / `npm start` / `db:migrate` call) must add the role,
 * grant it, and hand out its URL; a role changed by hand is put right on the start after.
 */

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "atelier-launcher-"));
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

it("gives a cluster made before the app role existed that role on its next start, and repairs it afterwards", async () => {
  const dataDir = path.join(dir, "postgres");
  const port = await freePort();

  // Yesterday's launcher: the superuser only, migrations applied as it, an audit entry written.
  const old = await startEmbeddedPostgres({ dataDir, port });
  await old.createDatabaseIfMissing("atelier");
  await applyMigrations({ databaseUrl: old.adminUrl("atelier") });
  await query(old.adminUrl("atelier"), `INSERT INTO "AuditEvent" ("action") VALUES ('before.upgrade')`);
  expect(await query(old.adminUrl("atelier"), `SELECT rolname FROM pg_roles WHERE rolname = '${EMBEDDED_APP_ROLE}'`)).toEqual([]);
  await old.stop();

  // Today's launcher on the same cluster.
  const database = await startEmbeddedDatabase({ dataDir, port, database: "atelier" });
  stops.push(() => database.stop());
  expect(database.appRole).toBe(EMBEDDED_APP_ROLE);
  expect(new URL(database.appUrl).username).toBe(EMBEDDED_APP_ROLE);
  expect(new URL(database.ownerUrl).username).toBe("atelier");
  expect(statSync(path.join(dir, "postgres.app-password")).mode & 0o777).toBe(0o600);

  const whoAmI = `SELECT current_user AS role, r.rolsuper, (SELECT count(*)::int FROM pg_auth_members WHERE member = r.oid) AS memberships
                   FROM pg_roles r WHERE r.rolname = current_user`;
  expect(await query(database.appUrl, whoAmI)).toEqual([{ role: EMBEDDED_APP_ROLE, rolsuper: false, memberships: 0 }]);
  // The tables migrated yesterday are granted: readable, the audit log append-only by privilege.
  expect(await query(database.appUrl, `SELECT "action" FROM "AuditEvent"`)).toEqual([{ action: "before.upgrade" }]);
  await expect(query(database.appUrl, `DELETE FROM "AuditEvent"`)).rejects.toThrow(/permission denied for table "?AuditEvent"?/);
  await expect(query(database.appUrl, `SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);

  // Someone loosens the role by hand; the next start puts it back (same password, from the file).
  await query(database.ownerUrl, `ALTER ROLE ${EMBEDDED_APP_ROLE} SUPERUSER INHERIT PASSWORD 'changed-by-hand'`);
  await query(database.ownerUrl, `GRANT atelier TO ${EMBEDDED_APP_ROLE}`);
  const again = await startEmbeddedDatabase({ dataDir, port, database: "atelier" });
  stops.push(() => again.stop());
  expect(again.reused).toBe(true); // the running server is adopted, not started twice
  expect(again.appUrl).toBe(database.appUrl);
  expect(await query(again.appUrl, whoAmI)).toEqual([{ role: EMBEDDED_APP_ROLE, rolsuper: false, memberships: 0 }]);
  expect(await query(again.ownerUrl, `SELECT rolinherit FROM pg_roles WHERE rolname = '${EMBEDDED_APP_ROLE}'`)).toEqual([{ rolinherit: false }]);
}, 180_000);
