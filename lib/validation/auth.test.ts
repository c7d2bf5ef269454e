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

  it.each([
    "/\t/evil.test/phish", // what /sign-in?next=/%09/evil.test/phish hands the page: browsers drop the tab
    "/%09/evil.test/phish",
    "/\n/evil.test",
    "/\r\n/evil.test",
    "/%2F/evil.test",
    "/%5Cevil.test",
    "/\\/evil.test",
    "/\u0000/evil.test",
    "/ /%2fevil.test".replace(" ", "%20") + "\u007f",
    "javascript:alert(1)",
    "/%zz",
    "x".repeat(10) + "/a",
    "/" + "a".repeat(2001),
  ])("refuses %j", (value) => {
    expect(safeNextPath(value)).toBeNull();
  });

  it("keeps same-origin paths with their query and fragment, normalised", () => {
    expect(safeNextPath("/invite/abc123")).toBe("/invite/abc123");
    expect(safeNextPath("/w/acme/gallery?q=caf%C3%A9#top")).toBe("/w/acme/gallery?q=caf%C3%A9#top");
    expect(safeNextPath("/w/acme/../other")).toBe("/w/other");
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
