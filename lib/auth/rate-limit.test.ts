import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clearHits, recordHit, retryAfterSeconds, type Limit } from "@/lib/auth/rate-limit";

describe("rate limiter", () => {
  const limit: Limit = { bucket: `test:${randomUUID()}`, max: 3, windowMs: 60_000 };

  it("allows up to the limit, then says how long to wait", async () => {
    const key = randomUUID();
    for (let i = 0; i < 3; i++) {
      expect(await retryAfterSeconds(limit, key)).toBe(0);
      await recordHit(limit, key);
    }
    const wait = await retryAfterSeconds(limit, key);
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await retryAfterSeconds(limit, randomUUID())).toBe(0);
    await clearHits(limit, key);
    expect(await retryAfterSeconds(limit, key)).toBe(0);
  });
});
