import type http from "node:http";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startCanary, startServer, guardedConnect, tableResolver } from "@/lib/net/test-support";

// "Test connection" and the Qolaba base URL check against servers on loopback only. A stand-in "RenderNet" listens on
// 127.0.0.1 (allow-listed here, as in development); a canary on 127.0.0.2 (not allow-listed) must never be reached.
// Qolaba addresses typed in Settings are https names answered by an injected resolver; the injected connector opens
// loopback sockets only and refuses (records) anything else.

const BANNER = "internal banner: secret-service v1.2";
type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let behaviour: Behaviour = (_req, res) => res.end();
const canary = await startCanary("127.0.0.2");
const standIn = await startServer((req, res) => behaviour(req, res), "127.0.0.1");

// Set before anything reads lib/env.ts (it caches).
process.env.RENDERNET_BASE_URL = `${standIn.url}/pub-api`;
process.env.ATELIER_OUTBOUND_ALLOW_PRIVATE = "127.0.0.1/32";
delete process.env.QOLABA_BASE_URL;

const { db } = await import("@/lib/db");
const { listConnections } = await import("@/lib/data/connections");
const { saveProviderKey } = await import("@/lib/connections/settings");
const { testConnection } = await import("@/lib/connections/check");
const { getWorkspaceConnection } = await import("@/lib/connections/workspace");
const { download, IngestRejected } = await import("@/lib/generations/ingest");
const { setOutboundOptionsForTests } = await import("@/lib/net/testing");
const { saveProviderKeySchema } = await import("@/lib/validation/connections");
const { makeTeam, makeUser, viewerFor } = await import("@/test/factories");

afterEach(() => setOutboundOptionsForTests(undefined));
afterAll(async () => {
  setOutboundOptionsForTests(undefined);
  await standIn.close();
  await canary.close();
});

let keys = 0;
async function ownerWithRenderNetKey() {
  const user = await makeUser("Owner");
  const team = await makeTeam(user.id);
  const owner = await viewerFor(user.id, team.id);
  // A new key each time: the circuit breaker is per base URL and key.
  await saveProviderKey(owner, "RENDERNET", `rn_test_key_${Date.now()}_${keys++}_abcdef`, "");
  return owner;
}

const answer =
  (status: number, body: string, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "text/html", ...headers });
    res.end(body);
  };

describe("Test connection says what kind of failure it was, never what the other side said", () => {
  it.each([
    ["a rejected key", answer(401, `<h1>${BANNER}</h1>`), /^Key rejected: RenderNet refused the key \(HTTP 401\)\.$/],
    ["a redirect", answer(302, `moved to ${BANNER}`, { Location: `${canary.url}/admin` }), /^Unexpected answer: RenderNet answered with a redirect \(HTTP 302\)/],
    ["a page that is not the API", answer(200, `SSH-2.0-OpenSSH_9.2 ${BANNER}`), /^Unexpected answer: this does not look like RenderNet's API \(HTTP 200\)/],
    ["a missing path", answer(404, BANNER), /^Unexpected answer: this does not look like RenderNet's API \(HTTP 404\)/],
    ["a JSON error with a message", answer(400, JSON.stringify({ err: { message: BANNER } }), { "Content-Type": "application/json" }), /\(HTTP 400\)/],
    ["a server error", answer(503, BANNER), /^RenderNet answered with a server error \(HTTP 503\)/],
  ])("%s", async (_label, reply, expected) => {
    behaviour = reply;
    const owner = await ownerWithRenderNetKey();
    const check = await testConnection(owner, "RENDERNET");
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(expected);
    expect(check.message).not.toContain("secret-service");
    const stored = await db.providerConnection.findFirstOrThrow({ where: { workspaceId: owner.workspaceId, provider: "RENDERNET" } });
    expect(stored.lastCheckMessage).toBe(check.message);
    expect(JSON.stringify(await listConnections(owner))).not.toContain("secret-service");
    expect(canary.hits).toEqual([]);
  });

  it("a healthy answer still reads the balance (the stand-in is allow-listed, so it is reached)", async () => {
    behaviour = (req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      if (req.url?.startsWith("/pub-api/pub/v1/models")) {
        return res.end(JSON.stringify({ data: [{ name: "JuggernautXL", base_model: "sdxl" }], pagination: { page: 1, page_size: 50, total: 1 }, err: {} }));
      }
      res.end(JSON.stringify({ data: { estimated: 1, balance: 1234 }, err: {} }));
    };
    const owner = await ownerWithRenderNetKey();
    expect(await testConnection(owner, "RENDERNET")).toMatchObject({ ok: true, balance: 1234, message: "Connected. Balance: 1,234 credits." });
  });
});

describe("a Qolaba base URL typed in Settings", () => {
  async function owner() {
    const user = await makeUser("Owner");
    return viewerFor(user.id, (await makeTeam(user.id)).id);
  }

  it.each([
    "https://0x7f.1",
    "https://2130706433",
    "https://127.1",
    "https://0177.0.0.1",
    "https://127.0.0.1:8443/api",
    "https://[::1]",
    "https://[::ffff:127.0.0.1]",
    "https://169.254.169.254/latest/meta-data",
    "https://10.0.0.1",
    "https://100.64.0.1",
    "https://[fd00::1]",
    "http://qolaba.test",
    "https://user:pass@qolaba.test",
    "https://qolaba.test/?token=1",
    "https://qolaba.test/#x",
    "https://intranet",
    "ftp://qolaba.test",
  ])("refuses %s in the form's schema and on the server, connecting nowhere", async (baseUrl) => {
    const guard = guardedConnect();
    const resolve = tableResolver({ "qolaba.test": ["93.184.215.14"] });
    setOutboundOptionsForTests({ resolve, connect: guard.connect });
    const parsed = saveProviderKeySchema.safeParse({ workspace: "w", provider: "QOLABA", key: "qolaba-token-abcdef123456", baseUrl });
    expect(parsed.success).toBe(false);
    await expect(saveProviderKey(await owner(), "QOLABA", "qolaba-token-abcdef123456", baseUrl)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { baseUrl: [expect.stringContaining("https://")] },
    });
    expect(guard.attempts).toEqual([]);
  });

  it("refuses a name that resolves to a private address (any of them), or not at all, and says which", async () => {
    const guard = guardedConnect();
    const resolve = tableResolver({
      "metadata.qolaba.test": ["169.254.169.254"],
      "mixed.qolaba.test": ["93.184.215.14", "10.0.0.1"],
      "v6.qolaba.test": ["fd00::1"],
    });
    setOutboundOptionsForTests({ resolve, connect: guard.connect });
    const viewer = await owner();
    for (const host of ["metadata.qolaba.test", "mixed.qolaba.test", "v6.qolaba.test"]) {
      // The shape is fine (the form accepts it); the server's check is what refuses it.
      expect(saveProviderKeySchema.safeParse({ workspace: "w", provider: "QOLABA", key: "qolaba-token-abcdef123456", baseUrl: `https://${host}` }).success).toBe(true);
      const error = (await saveProviderKey(viewer, "QOLABA", "qolaba-token-abcdef123456", `https://${host}`).then(
        () => new Error("saved"),
        (e: unknown) => e,
      )) as Error;
      expect(error.message, host).toMatch(new RegExp(`^${host.replace(/\./g, "\\.")} leads to an address that is not a public internet address`));
      expect(error.message).not.toMatch(/169\.254|10\.0\.0\.1|fd00/);
    }
    const missing = (await saveProviderKey(viewer, "QOLABA", "qolaba-token-abcdef123456", "https://gone.qolaba.test").then(
      () => new Error("saved"),
      (e: unknown) => e,
    )) as Error;
    expect(missing.message).toMatch(/^gone\.qolaba\.test could not be found/);
    expect(await db.providerConnection.count({ where: { workspaceId: viewer.workspaceId } })).toBe(0);
    expect(guard.attempts).toEqual([]);
  });

  it("accepts a public name, and checks the addresses again when it connects (a rebinding name is refused)", async () => {
    const guard = guardedConnect();
    let lookups = 0;
    // Public when saved; the metadata address afterwards.
    const resolve = tableResolver({ "api.qolaba.test": () => (lookups++ === 0 ? ["93.184.215.14"] : ["169.254.169.254"]) });
    setOutboundOptionsForTests({ resolve, connect: guard.connect });
    const viewer = await owner();
    await saveProviderKey(viewer, "QOLABA", "qolaba-token-abcdef123456", "https://api.qolaba.test/v1");
    const check = await testConnection(viewer, "QOLABA");
    expect(check).toMatchObject({ ok: false });
    expect(check.message).toMatch(/^Refused: Atelier connects only to public internet addresses over https/);
    expect(guard.attempts).toEqual([]);
  });

  it("connects only to the address it checked; a failure is told by its kind", async () => {
    const guard = guardedConnect(); // refuses the public address: nothing leaves the machine
    setOutboundOptionsForTests({ resolve: tableResolver({ "api.qolaba.test": ["93.184.215.14"] }), connect: guard.connect });
    const viewer = await owner();
    await saveProviderKey(viewer, "QOLABA", "qolaba-token-abcdef123456", "https://api.qolaba.test/v1");
    const check = await testConnection(viewer, "QOLABA");
    expect(check).toMatchObject({ ok: false, message: "Could not connect: nothing answered at Qolaba's address (connection refused or unreachable)." });
    expect(new Set(guard.attempts.map((a) => `${a.hostname} ${a.servername}`))).toEqual(new Set(["93.184.215.14 api.qolaba.test"]));
  });
});

describe("result downloads through a workspace's connection", () => {
  it("come only from the provider's hosts: RenderNet's API host yes, another host or port-less trickery no", async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { "Content-Type": "image/png" });
      res.end(Buffer.from("89504e470d0a1a0a", "hex"));
    };
    const owner = await ownerWithRenderNetKey();
    const connection = await getWorkspaceConnection(owner.workspaceId);
    const bytes = await download(connection.downloads.rendernet, `${standIn.url}/files/out.png`, 1024);
    expect(bytes.byteLength).toBe(8);
    // The canary's host is not RenderNet's; Qolaba (not connected by key here) has no download hosts at all.
    await expect(download(connection.downloads.rendernet, `${canary.url}/x.png`, 1024)).rejects.toBeInstanceOf(IngestRejected);
    await expect(download(connection.downloads.qolaba, `${standIn.url}/files/out.png`, 1024)).rejects.toBeInstanceOf(IngestRejected);
    await expect(download(connection.downloads.rendernet, `file:///etc/passwd`, 1024)).rejects.toBeInstanceOf(IngestRejected);
    expect(canary.hits).toEqual([]);
  });

  it("refuse a redirect off the provider's hosts and a file over the cap", async () => {
    behaviour = (req, res) => {
      if (req.url === "/files/moved.png") {
        res.writeHead(302, { Location: `${canary.url}/x.png` });
        return res.end();
      }
      res.writeHead(200, { "Content-Type": "image/png" });
      res.end(Buffer.alloc(4096, 1));
    };
    const owner = await ownerWithRenderNetKey();
    const connection = await getWorkspaceConnection(owner.workspaceId);
    await expect(download(connection.downloads.rendernet, `${standIn.url}/files/moved.png`, 1024 * 1024)).rejects.toThrow(/not one of the provider's hosts/);
    await expect(download(connection.downloads.rendernet, `${standIn.url}/files/big.png`, 1024)).rejects.toThrow(/larger than Atelier accepts/);
    expect(canary.hits).toEqual([]);
  });
});
