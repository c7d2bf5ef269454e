import { removeTestFolders, createCalls } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import { testConnection } from "@/lib/connections/check";
import { removeProviderKey, saveProviderKey, switchToSandbox } from "@/lib/connections/settings";
import { listConnections, listSandboxedProviders } from "@/lib/data/connections";
import { isIssuedSandboxKey, sandboxApiKey } from "@/lib/connections/sandbox";
import { getWorkspaceConnection } from "@/lib/connections/workspace";
import { setConnectionOverridesForTests } from "@/lib/connections/testing";
import { sandboxFetch, sandboxOrigin } from "@/lib/connections/sandbox";
import { submitGeneration } from "@/lib/generations/submit";
import { ForbiddenError } from "@/lib/result";
import type { GenerationRequest } from "@/lib/validation/generations";

// "Real" keys talk to the in-process sandbox, which treats any key as an account.
// (Set before anything reads lib/env.ts, which caches: the sandbox's origin is http://127.0.0.1:<PORT>.)
process.env.RENDERNET_BASE_URL = `http://127.0.0.1:${process.env.PORT ?? 3000}/sandbox/rendernet`;
// The server's own default Qolaba address may be plain http (a development stand-in); a typed one may not.
process.env.QOLABA_BASE_URL = `http://127.0.0.1:${process.env.PORT ?? 3000}/sandbox/qolaba`;

afterAll(removeTestFolders);
afterEach(() => setConnectionOverridesForTests(undefined));

const KEY = "rn_live_KNOWN-KEY-7f3a9c1e5b2d4680";

const imageRun: GenerationRequest = {
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt: "a lighthouse",
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize: 1,
    seed: 1,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
};

async function team() {
  const owner = await makeUser("Owner");
  const workspace = await makeTeam(owner.id);
  const member = await makeUser("Member");
  await addMember(workspace.id, member.id, "MEMBER");
  return { owner: await viewerFor(owner.id, workspace.id), member: await viewerFor(member.id, workspace.id) };
}

describe("provider connections", () => {
  it("stores a key sealed, shows only its last four characters, and uses it for runs", async () => {
    const { owner, member } = await team();
    expect(await listSandboxedProviders(member)).toEqual(["RENDERNET", "QOLABA"]);
    await saveProviderKey(owner, "RENDERNET", KEY, "");
    // The shell's sandbox badge: only the provider still without a key.
    expect(await listSandboxedProviders(member)).toEqual(["QOLABA"]);

    const row = await db.providerConnection.findFirstOrThrow({ where: { workspaceId: owner.workspaceId, provider: "RENDERNET" } });
    expect(row.secret).not.toContain(KEY);
    expect(row.secret).not.toContain("7f3a9c1e");
    expect(row.last4).toBe("4680");
    const view = await listConnections(member);
    expect(JSON.stringify(view)).not.toContain("7f3a9c1e");
    expect(view.connections.find((c) => c.provider === "RENDERNET")).toMatchObject({ mode: "key", last4: "4680" });

    // The workspace's runs go to the account of that key (the sandbox keeps accounts per key).
    const connection = await getWorkspaceConnection(owner.workspaceId);
    expect(connection.modes.rendernet).toBe("key");
    expect(connection.connectionId).toBe(`rendernet:${row.id}:v1`);
    const check = await testConnection(owner, "RENDERNET");
    expect(check, check.message).toMatchObject({ ok: true });
    expect(check.balance).toBeGreaterThan(0);
    const audit = await db.auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: "connection.key_set" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit.map((event) => event.details))).not.toContain("7f3a9c1e");

    // Replacing bumps the version (provider-side copies start afresh); removing falls back to the sandbox.
    await saveProviderKey(owner, "RENDERNET", `${KEY}-2`, "");
    expect((await getWorkspaceConnection(owner.workspaceId)).connectionId).toBe(`rendernet:${row.id}:v2`);
    await removeProviderKey(owner, "RENDERNET");
    expect((await getWorkspaceConnection(owner.workspaceId)).modes.rendernet).toBe("sandbox");
    expect(await listSandboxedProviders(member)).toEqual(["RENDERNET", "QOLABA"]);
    expect(await db.providerConnection.findFirstOrThrow({ where: { id: row.id } })).toMatchObject({ secret: null, last4: null, mode: "SANDBOX" });
    expect(await db.auditEvent.count({ where: { workspaceId: owner.workspaceId, action: "connection.key_removed" } })).toBe(1);
  });

  it("lets only owners and admins change or test connections", async () => {
    const { member } = await team();
    await expect(saveProviderKey(member, "RENDERNET", KEY, "")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(switchToSandbox(member, "RENDERNET")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(testConnection(member, "QOLABA")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("a ciphertext copied into another workspace's row does not open there, and nothing is sent", async () => {
    const a = await team();
    const b = await team();
    await saveProviderKey(a.owner, "RENDERNET", KEY, "");
    const stolen = await db.providerConnection.findFirstOrThrow({ where: { workspaceId: a.owner.workspaceId, provider: "RENDERNET" } });
    await db.providerConnection.create({
      data: { workspaceId: b.owner.workspaceId, provider: "RENDERNET", mode: "KEY", secret: stolen.secret, keyId: stolen.keyId, last4: stolen.last4 },
    });

    const calls: string[] = [];
    setConnectionOverridesForTests({
      fetch: (input, init) => {
        calls.push(new Request(input, init).url);
        return sandboxFetch(input, init);
      },
    });
    const connection = await getWorkspaceConnection(b.owner.workspaceId);
    expect(connection.unavailable.rendernet).toMatch(/can't be read on this server/);
    await expect(submitGeneration(b.member, { idempotencyKey: randomUUID(), boardId: null, run: imageRun })).rejects.toMatchObject({
      message: expect.stringMatching(/RenderNet key can't be read/),
    });
    const check = await testConnection(b.owner, "RENDERNET");
    expect(check.ok).toBe(false);
    expect(calls).toEqual([]);
    expect(await db.generation.count({ where: { workspaceId: b.owner.workspaceId } })).toBe(0);
    // The rightful workspace still works.
    expect((await testConnection(a.owner, "RENDERNET")).ok).toBe(true);
  });

  it("checks a Qolaba token against its base URL, and refuses a bad URL", async () => {
    const { owner } = await team();
    await expect(saveProviderKey(owner, "QOLABA", "qolaba-token-abcdef123456", `${sandboxOrigin()}/sandbox/qolaba`)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/^Only https:\/\/ addresses are accepted/),
    });
    await saveProviderKey(owner, "QOLABA", "qolaba-token-abcdef123456", "");
    expect(await testConnection(owner, "QOLABA")).toMatchObject({ ok: true });
    const { saveProviderKeySchema } = await import("@/lib/validation/connections");
    const bad = saveProviderKeySchema.safeParse({ workspace: "x", provider: "QOLABA", key: "qolaba-token-abcdef123456", baseUrl: "http://evil.example.com/api" });
    expect(bad.success).toBe(false);
    const spaces = saveProviderKeySchema.safeParse({ workspace: "x", provider: "RENDERNET", key: "two words here" });
    expect(spaces.success).toBe(false);
  });

  it("keeps sandbox workspaces on their own sandbox account", async () => {
    const { owner, member } = await team();
    const connection = await getWorkspaceConnection(owner.workspaceId);
    expect(connection.modes).toEqual({ rendernet: "sandbox", qolaba: "sandbox" });
    expect(connection.connectionId).toBe(`sandbox:v2:${owner.workspaceId}`);
    await submitGeneration(member, { idempotencyKey: randomUUID(), boardId: null, run: imageRun });
    expect(sandboxApiKey(owner.workspaceId)).toMatch(new RegExp(`^sbx_${owner.workspaceId}_[A-Za-z0-9_-]{43}$`));
    expect(isIssuedSandboxKey(sandboxApiKey(owner.workspaceId))).toBe(true);
    expect(isIssuedSandboxKey(sandboxApiKey(owner.workspaceId).slice(0, -1) + "A")).toBe(sandboxApiKey(owner.workspaceId).endsWith("A"));
    expect(isIssuedSandboxKey(`sbx_cmsomeotherworkspace00_${sandboxApiKey(owner.workspaceId).slice(-43)}`)).toBe(false);
    expect(isIssuedSandboxKey("any-key-someone-typed")).toBe(false);
    expect(await createCalls(owner.workspaceId)).toHaveLength(0); // recorded and queued; no worker runs in this file
  });
});
