import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

const request = (url: string, init: { method?: string; headers?: Record<string, string> } = {}) => new NextRequest(url, init);

describe("proxy: page headers and the workspace API's origin check", () => {
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

  it("refuses a state-changing API call from another site, and lets reads and our own pages through", async () => {
    const cross = proxy(request("http://studio.test/api/w/acme/assets", { method: "POST", headers: { host: "studio.test", origin: "https://evil.test" } }));
    expect(cross.status).toBe(403);
    expect(await cross.json()).toEqual({ error: "This request must come from Atelier's own pages." });
    const silent = proxy(request("http://studio.test/api/w/acme/media/zip", { method: "POST", headers: { host: "studio.test" } }));
    expect(silent.status).toBe(403);
    const own = proxy(request("http://studio.test/api/w/acme/assets", { method: "POST", headers: { host: "studio.test", origin: "http://studio.test" } }));
    expect(own.headers.get("x-middleware-next")).toBe("1");
    const read = proxy(request("http://studio.test/api/w/acme/gallery", { headers: { host: "studio.test", origin: "https://evil.test" } }));
    expect(read.headers.get("x-middleware-next")).toBe("1");
  });
});
