import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

// The in-process path the app uses: the real client, handing requests straight to the mounted sandbox's handler.
process.env.SANDBOX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "atelier-inapp-sandbox-"));
process.env.SANDBOX_TEST_HOOKS = "true";
process.env.PUBLIC_URL = "http://studio.test";

const { sandboxBaseUrl, sandboxFetch } = await import("@/lib/connections/sandbox");
const { findOutboundRefusal } = await import("@/lib/net/errors");
const { startCanary } = await import("@/lib/net/test-support");
const { createRenderNetClient } = await import("@/lib/providers/rendernet/client");

describe("the mounted sandbox, called in-process", () => {
  it("serves the RenderNet API with links on the public URL, without a network hop", async () => {
    const client = createRenderNetClient({ apiKey: `inapp-${randomUUID()}`, baseUrl: sandboxBaseUrl("rendernet"), fetch: sandboxFetch });
    const models = await client.listModels();
    expect(models.find((m) => m.thumbnail)?.thumbnail).toMatch(/^http:\/\/studio\.test\/sandbox\/rendernet\/files\//);
    const thumbnail = await sandboxFetch(models.find((m) => m.thumbnail)!.thumbnail!);
    expect(thumbnail.headers.get("content-type")).toBe("image/png");
  });

  it("surfaces a lost response as a network failure, so a create's outcome is unknown", async () => {
    const apiKey = `inapp-${randomUUID()}`;
    const client = createRenderNetClient({ apiKey, baseUrl: sandboxBaseUrl("rendernet"), fetch: sandboxFetch });
    const rules = [{ method: "POST", path: "/rendernet/pub/v1/generations", fault: "lost_response" }];
    await sandboxFetch("http://studio.test/sandbox/__sandbox/faults", {
      method: "POST",
      headers: { "X-API-KEY": apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({ rules }),
    });
    const item = { model: "JuggernautXL", prompt: { positive: "a paper boat", negative: "" } };
    await expect(client.createGenerations([item])).rejects.toMatchObject({ cause: "unknown_outcome" });
    expect(await client.findLostGenerations({ sentAt: Date.now() - 1000, items: [item] })).toHaveLength(1);
  });

  it("hands every other URL to the checked outbound client, which refuses loopback: the canary records zero hits", async () => {
    const canary = await startCanary();
    try {
      for (const url of [`${canary.url}/x`, `http://0x7f.1:${canary.port}/x`, `http://localhost:${canary.port}/x`]) {
        const error = await sandboxFetch(url).catch((e: unknown) => e);
        expect(findOutboundRefusal(error)?.kind, url).toBe("private_address");
      }
      expect(canary.hits).toEqual([]);
    } finally {
      await canary.close();
    }
  });
});
