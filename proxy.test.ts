import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

const request = (url: string, init: { method?: string; headers?: Record<string, string> } = {}) => new NextRequest(url, init);

describe("proxy: every page's Content-Security-Policy and HSTS", () => {
  it("gives every page a fresh nonce and a strict policy", () => {
    const first = proxy(request("http://studio.test/w/acme/gallery"));
    const second = proxy(request("http://studio.test/w/acme/gallery"));
    const policy = first.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/https?:\/\//); // no third-party origin
    expect(policy).not.toContain("unsafe-eval");
    // Next reads the nonce from the request's own policy header.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });

  it("adds HSTS over https", () => {
    const response = proxy(request("https://studio.test/sign-in"));
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

});
