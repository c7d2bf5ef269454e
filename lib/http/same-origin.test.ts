import { describe, expect, it } from "vitest";
import { isSameOrigin } from "@/lib/http/same-origin";

const h = (init: Record<string, string>) => new Headers(init);

describe("same-origin check for state-changing route handlers", () => {
  it("accepts Atelier's own pages", () => {
    expect(isSameOrigin(h({ host: "studio.example", origin: "https://studio.example" }))).toBe(true);
    expect(isSameOrigin(h({ host: "127.0.0.1:3100", origin: "http://127.0.0.1:3100" }))).toBe(true);
    expect(isSameOrigin(h({ host: "studio.example", "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(isSameOrigin(h({ host: "10.0.0.5:3000", "x-forwarded-host": "studio.example", origin: "https://studio.example" }))).toBe(true);
  });

  it("refuses other sites, opaque origins and requests that say nothing", () => {
    expect(isSameOrigin(h({ host: "studio.example", origin: "https://evil.test" }))).toBe(false);
    expect(isSameOrigin(h({ host: "studio.example", origin: "https://studio.example.evil.test" }))).toBe(false);
    expect(isSameOrigin(h({ host: "studio.example", origin: "null" }))).toBe(false);
    expect(isSameOrigin(h({ host: "studio.example", origin: "not a url" }))).toBe(false);
    expect(isSameOrigin(h({ host: "studio.example", "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOrigin(h({ host: "studio.example" }))).toBe(false);
  });
});
