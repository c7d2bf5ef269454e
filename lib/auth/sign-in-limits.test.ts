import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { clientHeaderForTests } from "@/lib/http/testing";
import { makeUser } from "@/test/factories";

// Count the argon2 verifications: the limit must stop guesses before the password is checked.
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/crypto/passwords", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/crypto/passwords")>();
  return {
    ...original,
    verifyPassword: async (...args: Parameters<typeof original.verifyPassword>) => {
      verifications.count++;
      return original.verifyPassword(...args);
    },
  };
});
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));

const { authorizeCredentials, SignInRateLimited } = await import("@/lib/auth/credentials");
const { hashPassword } = await import("@/lib/crypto/passwords");

const PASSWORD = "correct horse battery";

async function account() {
  const user = await makeUser("Lim Iter");
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD) } });
  return user;
}

const from = (address: string) =>
  new Request("http://atelier.test/api/auth/callback/credentials", { method: "POST", headers: { "x-atelier-client": clientHeaderForTests(address) } });

/** "ok" (signed in), "wrong" (refused), or the seconds to wait. */
async function attempt(email: string, password: string, address: string): Promise<"ok" | "wrong" | number> {
  try {
    return (await authorizeCredentials({ email, password }, from(address))) ? "ok" : "wrong";
  } catch (error) {
    if (error instanceof SignInRateLimited) return error.retryAfterSeconds;
    throw error;
  }
}

let n = 0;
const address = () => `198.51.100.${(n = (n + 1) % 250) + 1}`;

describe("sign-in limits (in Auth.js's authorize: every way in counts)", () => {
  beforeEach(() => {
    verifications.count = 0;
  });

  it("verifies at most 5 of 50 concurrent wrong passwords from one address, and refuses the rest with a wait", async () => {
    const user = await account();
    const here = address();
    const results = await Promise.all(Array.from({ length: 50 }, () => attempt(user.email, "wrong password!", here)));
    expect(results.filter((r) => r === "wrong")).toHaveLength(5);
    expect(verifications.count).toBe(5);
    const waits = results.filter((r): r is number => typeof r === "number");
    expect(waits).toHaveLength(45);
    expect(Math.min(...waits)).toBeGreaterThan(800);
    // Now even the right password from there waits, without a verification.
    expect(await attempt(user.email, PASSWORD, here)).toEqual(expect.any(Number));
    expect(verifications.count).toBe(5);
  });

  it("does not lock the owner out from another address", async () => {
    const user = await account();
    const attacker = address();
    for (let i = 0; i < 6; i++) await attempt(user.email, `guess ${i}`, attacker);
    expect(typeof (await attempt(user.email, "guess 7", attacker))).toBe("number");
    expect(await attempt(user.email, PASSWORD, address())).toBe("ok");
  });

  it("limits an unknown email exactly like a known one", async () => {
    const here = address();
    const email = `nobody-${randomUUID()}@example.test`;
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await attempt(email, "whatever pass", here));
    expect(results.slice(0, 5)).toEqual(["wrong", "wrong", "wrong", "wrong", "wrong"]);
    expect(typeof results[5]).toBe("number");
  });

  it("a correct password starts the pair afresh", async () => {
    const user = await account();
    const here = address();
    for (let i = 0; i < 4; i++) expect(await attempt(user.email, `nope ${i}`, here)).toBe("wrong");
    expect(await attempt(user.email, PASSWORD, here)).toBe("ok");
    for (let i = 0; i < 4; i++) expect(await attempt(user.email, `nope again ${i}`, here)).toBe("wrong");
  });

  it("slows an email guessed from many addresses, but not for an address its owner signed in from", async () => {
    const user = await account();
    const home = address();
    // The owner signed in from home before (Auth.js records it in the audit trail).
    await db.auditEvent.create({ data: { action: "auth.sign_in", actorId: user.id, actorEmail: user.email, ipAddress: home, details: { method: "password" } } });
    for (let i = 0; i < 20; i++) expect(await attempt(user.email, `spray ${i}`, `203.0.113.${i + 1}`)).toBe("wrong");
    // Past 20 in the hour: one attempt per 30 s for the whole email from unknown addresses...
    expect(await attempt(user.email, "spray again", "203.0.113.100")).toBe("wrong");
    const slowed = await attempt(user.email, "and again", "203.0.113.101");
    expect(slowed).toEqual(expect.any(Number));
    expect(slowed).toBeLessThanOrEqual(30);
    // ... while the owner at home signs in at once.
    expect(await attempt(user.email, PASSWORD, home)).toBe("ok");
  });

  it("records a limited attempt in the audit trail with the address", async () => {
    const user = await account();
    const here = address();
    for (let i = 0; i < 6; i++) await attempt(user.email, `x ${i}`, here);
    const rows = await db.auditEvent.findMany({ where: { actorId: user.id, action: "auth.rate_limited" } });
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]).toMatchObject({ workspaceId: null, details: { limit: "emailAddress" } });
  });
});
