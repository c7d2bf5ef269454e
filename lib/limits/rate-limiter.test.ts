import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { consume, peek, refund, reset, type LimitRule } from "@/lib/limits/rate-limiter";

const rule = (points: number, durationSeconds = 60): LimitRule => ({ name: `test:${randomUUID().slice(0, 8)}`, points, durationSeconds });

describe("rate limiter (PostgreSQL store)", () => {
  it("lets exactly `points` of 50 concurrent attempts through, and says when to come back", async () => {
    const limit = rule(5, 900);
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => consume(limit, "same-key")));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
    for (const v of verdicts.filter((v) => !v.ok)) {
      expect(v.ok ? 0 : v.retryAfterSeconds).toBeGreaterThan(890);
      expect(v.ok ? 0 : v.retryAfterSeconds).toBeLessThanOrEqual(900);
    }
    expect(await peek(limit, "same-key")).toMatchObject({ ok: false });
    expect(await peek(limit, "other-key")).toEqual({ ok: true, remaining: 5 });
  });

  it("gives points back on refund and forgets a key on reset", async () => {
    const limit = rule(2);
    await consume(limit, "k");
    await consume(limit, "k");
    expect(await consume(limit, "k")).toMatchObject({ ok: false });
    await refund(limit, "k", 2);
    expect(await consume(limit, "k")).toMatchObject({ ok: true });
    await reset(limit, "k");
    expect(await peek(limit, "k")).toEqual({ ok: true, remaining: 2 });
  });

  it("opens a new window once the old one has passed", async () => {
    const limit = rule(1, 1);
    expect(await consume(limit, "k")).toMatchObject({ ok: true });
    expect(await consume(limit, "k")).toEqual({ ok: false, retryAfterSeconds: 1 });
    await expect.poll(() => consume(limit, "k"), { timeout: 3000, interval: 200 }).toMatchObject({ ok: true });
  });

  it("stores hashed keys only, namespaced by the rule", async () => {
    const limit = rule(3);
    await consume(limit, "someone@example.test|203.0.113.7");
    const rows = await db.rateLimit.findMany({ where: { key: { startsWith: `${limit.name}:` } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).not.toContain("someone");
    expect(rows[0]!.key).not.toContain("203.0.113.7");
  });
});
