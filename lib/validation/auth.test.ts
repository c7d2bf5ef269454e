import { describe, expect, it } from "vitest";
import { safeNextPath, signInSchema, signUpSchema } from "@/lib/validation/auth";

describe("auth validation", () => {
  it("normalises emails", () => {
    expect(signInSchema.parse({ email: "  Ada@Example.COM ", password: "x" }).email).toBe("ada@example.com");
  });

  it("explains what is wrong with a new account", () => {
    const result = signUpSchema.safeParse({ name: "", email: "nope", password: "short" });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining(["name: Enter your name.", "email: Enter a valid email address, like you@example.com.", "password: Use at least 10 characters."]),
    );
  });

  it("follows only same-origin paths after sign-in", () => {
    expect(safeNextPath("/w/acme/gallery?x=1")).toBe("/w/acme/gallery?x=1");
    expect(safeNextPath("https://evil.example")).toBeNull();
    expect(safeNextPath("//evil.example")).toBeNull();
    expect(safeNextPath("/\\evil.example")).toBeNull();
    expect(safeNextPath(undefined)).toBeNull();
  });

  it("returns only paths a Location header can carry: no control characters, anything else percent-encoded", () => {
    expect(safeNextPath("/w/acme\r\nSet-Cookie: x=1")).toBeNull();
    expect(safeNextPath("/w/\u0000")).toBeNull();
    expect(safeNextPath("/w/\u007f")).toBeNull();
    expect(safeNextPath("/w/acme/gallery?q=東京 tower")).toBe("/w/acme/gallery?q=%E6%9D%B1%E4%BA%AC%20tower");
    expect(safeNextPath("/w/acme/gallery?q=a%20b")).toBe("/w/acme/gallery?q=a%20b");
    expect(safeNextPath("/\ud800")).toBeNull();
    expect(safeNextPath(`/${"a".repeat(2001)}`)).toBeNull();
  });
});
