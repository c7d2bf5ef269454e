import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashToken } from "@/lib/crypto/tokens";
import { createSession, revokeAllSessions, revokeSession, validateSession } from "@/lib/auth/sessions";
import { makeUser } from "@/test/factories";

describe("server-side sessions", () => {
  it("issues 256-bit tokens and stores only their hash", async () => {
    const user = await makeUser();
    const token = await createSession(user.id, { userAgent: "vitest", ipAddress: "127.0.0.1" });
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const row = await db.session.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(row.userId).toBe(user.id);
    expect(await validateSession(token)).toEqual({ userId: user.id });
  });

  it("stops working once revoked, expired, or the user is disabled", async () => {
    const user = await makeUser();
    const revoked = await createSession(user.id);
    await revokeSession(revoked);
    expect(await validateSession(revoked)).toBeNull();

    const expired = await createSession(user.id);
    await db.session.update({ where: { tokenHash: hashToken(expired) }, data: { expires: new Date(Date.now() - 1) } });
    expect(await validateSession(expired)).toBeNull();
    expect(await db.session.findUnique({ where: { tokenHash: hashToken(expired) } })).toBeNull();

    const live = await createSession(user.id);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await validateSession(live)).toBeNull();
  });

  it("revokes every session of a user at once", async () => {
    const user = await makeUser();
    const tokens = [await createSession(user.id), await createSession(user.id)];
    expect(await revokeAllSessions(user.id)).toBe(2);
    for (const t of tokens) expect(await validateSession(t)).toBeNull();
  });

  it("rejects a token that was never issued", async () => {
    expect(await validateSession("not-a-real-token")).toBeNull();
  });
});
