import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { makeUser } from "@/test/factories";
import { fingerprint, open, parseMasterKey, providerKeyAad, seal } from "@/lib/crypto/secret-box.mjs";
import { rotateProviderKeys } from "@/lib/crypto/rotate.mjs";

const newKey = () => randomBytes(32).toString("base64");

/** The pg-style client the command uses, over the test database. */
const client = {
  async query(sql: string, params: unknown[] = []) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql.includes("SELECT") ? sql : `${sql} RETURNING 1 AS "one"`, ...params);
    return { rows, rowCount: rows.length };
  },
};

describe("secret box", () => {
  it("opens only with the same key and the same workspace and provider", () => {
    const key = parseMasterKey(newKey());
    const sealed = seal(key, "rn_live_secret", providerKeyAad("ws1", "RENDERNET"));
    expect(sealed).not.toContain("rn_live_secret");
    expect(open(key, sealed, providerKeyAad("ws1", "RENDERNET"))).toBe("rn_live_secret");
    expect(() => open(key, sealed, providerKeyAad("ws2", "RENDERNET"))).toThrow();
    expect(() => open(key, sealed, providerKeyAad("ws1", "QOLABA"))).toThrow();
    expect(() => open(parseMasterKey(newKey()), sealed, providerKeyAad("ws1", "RENDERNET"))).toThrow();
    const tampered = Buffer.from(sealed, "base64url");
    tampered[14] = (tampered[14] ?? 0) ^ 1;
    expect(() => open(key, tampered.toString("base64url"), providerKeyAad("ws1", "RENDERNET"))).toThrow();
    expect(seal(key, "same", "aad")).not.toBe(seal(key, "same", "aad"));
  });

  it("accepts base64 and hex master keys of 32 bytes only", () => {
    expect(parseMasterKey(randomBytes(32).toString("hex"))).toHaveLength(32);
    expect(parseMasterKey(randomBytes(32).toString("base64url"))).toHaveLength(32);
    expect(() => parseMasterKey("short")).toThrow(/32 random bytes/);
    expect(() => parseMasterKey(randomBytes(16).toString("hex"))).toThrow();
  });
});

describe("keys:rotate", () => {
  it("re-seals every key under the new master key, reports the unreadable, and is safe to run again", async () => {
    const user = await makeUser();
    const other = await makeUser();
    const [oldText, newText, lostText] = [newKey(), newKey(), newKey()];
    const [oldKey, lostKey] = [parseMasterKey(oldText), parseMasterKey(lostText)];
    const row = (workspaceId: string, key: Buffer, secret: string) => ({
      workspaceId,
      provider: "RENDERNET" as const,
      mode: "KEY" as const,
      secret: seal(key, secret, providerKeyAad(workspaceId, "RENDERNET")),
      keyId: fingerprint(key),
      last4: secret.slice(-4),
    });
    const readable = await db.providerConnection.create({ data: row(user.personal.id, oldKey, "rn_key_one_1234") });
    const lost = await db.providerConnection.create({ data: row(other.personal.id, lostKey, "rn_key_two_5678") });

    const first = await rotateProviderKeys(client, { current: newText, previous: [oldText], workspaceIds: [user.personal.id, other.personal.id] });
    expect(first.rotated).toBeGreaterThanOrEqual(1);
    expect(first.unreadable).toContainEqual({ id: lost.id, workspaceId: other.personal.id, provider: "RENDERNET" });

    const after = await db.providerConnection.findUniqueOrThrow({ where: { id: readable.id } });
    const current = parseMasterKey(newText);
    expect(after.keyId).toBe(fingerprint(current));
    expect(open(current, after.secret!, providerKeyAad(user.personal.id, "RENDERNET"))).toBe("rn_key_one_1234");
    expect((await db.providerConnection.findUniqueOrThrow({ where: { id: lost.id } })).secret).toBe(lost.secret);
    const audit = await db.auditEvent.findMany({ where: { workspaceId: user.personal.id, action: "connection.keys_rotated" } });
    expect(audit).toHaveLength(1);

    const again = await rotateProviderKeys(client, { current: newText, previous: [oldText], workspaceIds: [user.personal.id, other.personal.id] });
    expect(again.rotated).toBe(0);
    expect((await db.providerConnection.findUniqueOrThrow({ where: { id: readable.id } })).secret).toBe(after.secret);
  });
});
