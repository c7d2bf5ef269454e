import { describe, expect, it } from "vitest";
import { signFileToken, verifyFileToken } from "@/lib/media/signed-url";

describe("signed file links", () => {
  const now = Date.UTC(2026, 10, 21, 12);

  it("grants the one file until it expires", () => {
    const token = signFileToken("ws/abc/asset/a1.png", 600, now);
    expect(verifyFileToken(token, now + 599_000)).toEqual({ storageKey: "ws/abc/asset/a1.png" });
    expect(verifyFileToken(token, now + 601_000)).toBeNull();
  });

  it("refuses a forged or altered token", () => {
    const token = signFileToken("ws/abc/asset/a1.png", 600, now);
    const [body, signature] = token.split(".");
    const otherBody = Buffer.from(JSON.stringify({ k: "ws/victim/asset/x.png", e: now / 1000 + 600 })).toString("base64url");
    expect(verifyFileToken(`${otherBody}.${signature}`, now)).toBeNull();
    expect(verifyFileToken(`${body}.${signature}x`, now)).toBeNull();
    expect(verifyFileToken(`${body}`, now)).toBeNull();
    expect(verifyFileToken("not-a-token", now)).toBeNull();
  });
});
