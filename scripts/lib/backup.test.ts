import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { storageKeys } from "@/lib/storage/keys";
import { makeMedia, makeUser } from "@/test/factories";
import { createBackup, readManifest, restoreDatabase, restoreMedia } from "./backup.mjs";

/**
 * The single-machine restore, tried: a database holding a user and a generation with its media, and the media folder
 * holding that file, are backed up, restored into a new database and a new folder, and both are found there.
 */
const ownerUrl = inject("databaseOwnerUrl");
const appRole = inject("databaseAppRole") || null;
const work = mkdtempSync(path.join(tmpdir(), "atelier-backup-test-"));
const restoredName = `atelier_restore_${process.pid}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>, url = ownerUrl): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(restoredName)} WITH (FORCE)`));
  rmSync(work, { recursive: true, force: true });
});

describe("npm run backup / npm run restore (scripts/lib/backup.mjs)", () => {
  it("restores a user and a generation with its media into a fresh database and folder", async () => {
    const user = await makeUser("Bea Backup");
    const [mediaId] = await makeMedia(user.personal.id, user.id, 1);
    const generationId = await admin(async (c) => (await c.query(`SELECT "generationId" FROM "Media" WHERE id = $1`, [mediaId])).rows[0].generationId as string);
    const mediaDir = path.join(work, "media");
    const key = storageKeys.media(user.personal.id, generationId, mediaId!, "png");
    const bytes = randomBytes(4096);
    mkdirSync(path.dirname(path.join(mediaDir, key)), { recursive: true });
    writeFileSync(path.join(mediaDir, key), bytes);

    const backupDir = path.join(work, "backup");
    const manifest = await createBackup({ ownerUrl, mediaDir, dir: backupDir });
    expect(manifest.media).toBe(true);
    expect(manifest.migrations.length).toBeGreaterThan(0);
    expect(manifest.rows.User).toBeGreaterThan(0);
    expect(await readManifest(backupDir)).toEqual(manifest);

    await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(restoredName)}`));
    const restoredUrl = new URL(ownerUrl);
    restoredUrl.pathname = `/${restoredName}`;
    const { rows } = await restoreDatabase({ ownerUrl: restoredUrl.toString(), dir: backupDir, appRole });
    expect(rows).toBe(Object.values(manifest.rows).reduce((sum, n) => sum + n, 0));
    const restoredMedia = path.join(work, "restored-media");
    await restoreMedia({ mediaDir: restoredMedia, dir: backupDir });

    await admin(async (c) => {
      const found = await c.query(`SELECT email, name FROM "User" WHERE id = $1`, [user.id]);
      expect(found.rows).toEqual([{ email: user.email, name: "Bea Backup" }]);
      const media = await c.query(
        `SELECT m.status, g.status AS "generationStatus", m."workspaceId" FROM "Media" m JOIN "Generation" g ON g.id = m."generationId" WHERE m.id = $1`,
        [mediaId],
      );
      expect(media.rows).toEqual([{ status: "READY", generationStatus: "SUCCEEDED", workspaceId: user.personal.id }]);
      // Every migration of the backup (and none other) is recorded, so the next upgrade starts from the right place.
      const migrations = await c.query(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`);
      expect(migrations.rows.map((r) => r.migration_name)).toEqual(manifest.migrations);
      // Autoincrement ids continue after the restored ones.
      const next = await c.query(`SELECT nextval(pg_get_serial_sequence('"Job"', 'id'))::int AS id, (SELECT COALESCE(max(id), 0)::int FROM "Job") AS max`);
      expect(next.rows[0].id).toBeGreaterThan(next.rows[0].max);
    }, restoredUrl.toString());
    expect(readFileSync(path.join(restoredMedia, key)).equals(bytes)).toBe(true);

    // Nothing is restored over data: the database now holds rows, the folder files.
    await expect(restoreDatabase({ ownerUrl: restoredUrl.toString(), dir: backupDir, appRole })).rejects.toThrow(/not empty/);
    await expect(restoreMedia({ mediaDir: restoredMedia, dir: backupDir })).rejects.toThrow(/not empty/);
  });
});
