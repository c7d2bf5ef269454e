import { describe, expect, it } from "vitest";
import { newIdempotencyKey, SubmissionKeys } from "@/lib/generations-client/idempotency-key";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newIdempotencyKey", () => {
  it("makes v4 UUIDs, with or without crypto.randomUUID", () => {
    expect(newIdempotencyKey()).toMatch(UUID_V4);
    const original = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
      const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
      expect(keys.size).toBe(50);
      for (const key of keys) expect(key).toMatch(UUID_V4);
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: original, configurable: true });
    }
  });
});

describe("SubmissionKeys", () => {
  it("keeps the key of a payload across retries until it succeeds", () => {
    let n = 0;
    const keys = new SubmissionKeys(() => `k${++n}`);
    expect(keys.keyFor("a")).toBe("k1");
    expect(keys.keyFor("a")).toBe("k1");
    keys.succeeded("a");
    expect(keys.keyFor("a")).toBe("k2");
  });

  it("changes the key when the form changes, and a stale success doesn't reset the new one", () => {
    let n = 0;
    const keys = new SubmissionKeys(() => `k${++n}`);
    keys.keyFor("a");
    expect(keys.keyFor("b")).toBe("k2");
    keys.succeeded("a");
    expect(keys.keyFor("b")).toBe("k2");
    expect(keys.keyFor("a")).toBe("k3");
  });
});
