import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientHeaderForTests } from "@/lib/http/testing";

// The route as a production server (not a test server) runs it: only keys this server issued, and rate limited.
let GET: (request: Request) => Promise<Response>;
let sandboxApiKey: (workspaceId: string) => string;

beforeAll(async () => {
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("ATELIER_SANDBOX", "on");
  vi.stubEnv("ATELIER_TEST_SERVER", "false");
  vi.stubEnv("SANDBOX_TEST_HOOKS", "false");
  vi.stubEnv("SANDBOX_DATA_DIR", `/tmp/atelier-sandbox-route-${randomUUID()}`);
  vi.resetModules();
  ({ GET } = await import("./route"));
  ({ sandboxApiKey } = await import("@/lib/connections/sandbox"));
});
afterAll(() => vi.unstubAllEnvs());

const call = (path: string, headers: Record<string, string>, address = "198.51.100.20") =>
  GET(new Request(`http://studio.test${path}`, { headers: { ...headers, "x-atelier-client": clientHeaderForTests(address) } }));

describe("the sandbox route in production", () => {
  it("answers a workspace's own sandbox key, and refuses keys this server did not issue", async () => {
    const issued = await call("/sandbox/rendernet/pub/v1/models", { "X-API-KEY": sandboxApiKey("cmabcdefghijklmnopqrstuvw") });
    expect(issued.status).toBe(200);
    for (const key of ["rn_live_anything", sandboxApiKey("cmabcdefghijklmnopqrstuvw").slice(0, -2) + "xx", ""]) {
      const refused = await call("/sandbox/rendernet/pub/v1/models", key ? { "X-API-KEY": key } : {});
      expect(refused.status).toBe(401);
    }
    const qolaba = await call("/sandbox/qolaba/getImage", { Authorization: "Bearer made-up-token" });
    expect(qolaba.status).toBe(401);
  });

  it("keeps the test hooks closed", async () => {
    const hooks = await call("/sandbox/__sandbox/calls", { "X-API-KEY": sandboxApiKey("cmabcdefghijklmnopqrstuvw") });
    expect(hooks.status).toBe(404);
  });

  it("rate limits a key, and an address, with a Retry-After", async () => {
    const key = sandboxApiKey("cmratelimitedworkspace00");
    const statuses = [];
    for (let i = 0; i < 25; i++) statuses.push((await call("/sandbox/rendernet/pub/v1/models", { "X-API-KEY": key }, `198.51.100.${30 + i}`)).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    expect(statuses).toContain(429);
    const flood = [];
    for (let i = 0; i < 60; i++) flood.push(call("/sandbox/rendernet/files/nothing-here.png", {}, "198.51.100.99"));
    const answers = await Promise.all(flood);
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
