// @ts-check
/**
 * Re-seals every stored provider key under the current master key (the `npm run keys:rotate` command; tested in
 * lib/crypto/rotate.test.ts). Plain JavaScript over a `pg` client so the command runs without the app.
 * Each row is updated only if it still holds what was read (a concurrent change wins); rows sealed with a key that
 * is not given are reported, never touched. One audit entry per workspace whose keys were re-sealed.
 */
import { fingerprint, open, parseMasterKey, providerKeyAad, seal } from './secret-box.mjs';

/**
 * @param {{ query: (sql: string, params?: unknown[]) => Promise<{ rows: any[]; rowCount: number | null }> }} client
 * @param {{ current: string; previous: string[]; workspaceIds?: string[] }} keys  master keys as configured (base64 or
 *   hex); `workspaceIds` limits the run to those workspaces (tests share one database)
 * @returns {Promise<{ rotated: number; alreadyCurrent: number; unreadable: { id: string; workspaceId: string; provider: string }[] }>}
 */
export async function rotateProviderKeys(client, keys) {
  const current = parseMasterKey(keys.current);
  const currentId = fingerprint(current);
  /** @type {Map<string, Buffer>} */
  const known = new Map([[currentId, current]]);
  for (const text of keys.previous) {
    const key = parseMasterKey(text);
    known.set(fingerprint(key), key);
  }
  const { rows } = keys.workspaceIds
    ? await client.query(
        'SELECT "id", "workspaceId", "provider"::text AS "provider", "secret", "keyId" FROM "ProviderConnection" WHERE "secret" IS NOT NULL AND "workspaceId" = ANY($1::text[])',
        [keys.workspaceIds],
      )
    : await client.query('SELECT "id", "workspaceId", "provider"::text AS "provider", "secret", "keyId" FROM "ProviderConnection" WHERE "secret" IS NOT NULL');
  let rotated = 0;
  let alreadyCurrent = 0;
  /** @type {{ id: string; workspaceId: string; provider: string }[]} */
  const unreadable = [];
  /** @type {Set<string>} */
  const workspaces = new Set();
  for (const row of rows) {
    if (row.keyId === currentId) {
      alreadyCurrent++;
      continue;
    }
    const key = row.keyId ? known.get(row.keyId) : undefined;
    const aad = providerKeyAad(row.workspaceId, row.provider);
    let plaintext;
    try {
      if (!key) throw new Error('unknown master key');
      plaintext = open(key, row.secret, aad);
    } catch {
      unreadable.push({ id: row.id, workspaceId: row.workspaceId, provider: row.provider });
      continue;
    }
    const result = await client.query(
      'UPDATE "ProviderConnection" SET "secret" = $1, "keyId" = $2, "updatedAt" = now() WHERE "id" = $3 AND "secret" = $4',
      [seal(current, plaintext, aad), currentId, row.id, row.secret],
    );
    if (result.rowCount === 1) {
      rotated++;
      workspaces.add(row.workspaceId);
    }
  }
  for (const workspaceId of workspaces) {
    await client.query(
      'INSERT INTO "AuditEvent" ("workspaceId", "actorEmail", "action", "details", "createdAt") VALUES ($1, $2, $3, $4, now())',
      [workspaceId, 'npm run keys:rotate', 'connection.keys_rotated', JSON.stringify({ masterKey: `now ${currentId.slice(0, 6)}…` })],
    );
  }
  return { rotated, alreadyCurrent, unreadable };
}
