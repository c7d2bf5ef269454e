import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findOutboundRefusal, OutboundRefusedError } from "@/lib/net/errors";
import { createOutboundFetch, type OutboundFetch } from "@/lib/net/outbound-fetch";
import { guardedConnect, startCanary, startServer, tableResolver, type GuardedConnect, type TestServer } from "@/lib/net/test-support";

// Traffic goes to loopback only: names are answered by an injected resolver, and the injected connector opens
// sockets to loopback addresses only (anything else is recorded as a violation and refused, never connected).

let canary: TestServer;
let canary6: TestServer;
let guard: GuardedConnect;
const clients: OutboundFetch[] = [];

function client(options: Parameters<typeof createOutboundFetch>[0] = {}): OutboundFetch {
  const made = createOutboundFetch({ resolve: tableResolver({}), connect: guard.connect, ...options });
  clients.push(made);
  return made;
}

async function refusal(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const error = await promise.then(
    () => expect.unreachable("the request was not refused"),
    (e: unknown) => e,
  );
  const found = findOutboundRefusal(error);
  if (!found) throw error;
  return found;
}

beforeAll(async () => {
  canary = await startCanary("127.0.0.1");
  canary6 = await startCanary("::1");
});
afterAll(async () => {
  await canary.close();
  await canary6.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe("IP literals in any spelling", () => {
  it("the WHATWG URL parser turns every spelling of 127.0.0.1 into 127.0.0.1", () => {
    for (const spelling of ["0x7f.1", "2130706433", "127.1", "0177.0.0.1", "0x7f000001", "127.0.0.1."]) {
      expect(new URL(`http://${spelling}:80/`).hostname, spelling).toBe("127.0.0.1");
    }
    expect(new URL("http://[::ffff:127.0.0.1]/").hostname).toBe("[::ffff:7f00:1]");
    expect(new URL("http://[0:0:0:0:0:0:0:1]/").hostname).toBe("[::1]");
  });

  it("refuses each of them without connecting: the canaries record zero hits", async () => {
    guard = guardedConnect();
    const resolve = tableResolver({});
    const outbound = client({ resolve });
    const spellings = ["0x7f.1", "2130706433", "127.1", "0177.0.0.1", "127.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"];
    for (const scheme of ["http", "https"]) {
      for (const host of spellings) {
        const error = await refusal(outbound(`${scheme}://${host}:${canary.port}/probe`));
        expect(error.kind, `${scheme}://${host}`).toBe("private_address");
      }
      expect((await refusal(outbound(`${scheme}://[::1]:${canary6.port}/probe`))).kind).toBe("private_address");
      expect((await refusal(outbound(`${scheme}://[0:0:0:0:0:0:0:1]:${canary6.port}/probe`))).kind).toBe("private_address");
    }
    expect(canary.hits).toEqual([]);
    expect(canary6.hits).toEqual([]);
    expect(guard.attempts).toEqual([]);
    expect(resolve.lookups).toEqual([]);
  });
});

describe("names are resolved once and every address is checked", () => {
  it.each([
    ["cloud metadata", ["169.254.169.254"]],
    ["RFC 1918", ["10.0.0.1"]],
    ["RFC 1918 (172.16/12)", ["172.16.5.4"]],
    ["RFC 1918 (192.168/16)", ["192.168.0.10"]],
    ["CGNAT", ["100.64.0.1"]],
    ["loopback", ["127.0.0.1"]],
    ["unspecified", ["0.0.0.0"]],
    ["IPv6 unique-local", ["fd00::1"]],
    ["IPv6 link-local", ["fe80::1"]],
    ["IPv6 loopback", ["::1"]],
    ["IPv4-mapped private", ["::ffff:10.0.0.1"]],
    ["NAT64 of link-local", ["64:ff9b::a9fe:a9fe"]],
    ["multicast", ["224.0.0.251"]],
  ])("refuses a name resolving to %s without connecting", async (_label, addresses) => {
    guard = guardedConnect();
    const resolve = tableResolver({ "internal.test": addresses });
    const outbound = client({ resolve });
    for (const url of ["https://internal.test/", `http://internal.test:${canary.port}/`]) {
      const error = await refusal(outbound(url));
      expect(error.kind).toBe("private_address");
      // The sentence names the host, never the address it resolved to (no oracle for internal DNS).
      for (const address of addresses) expect(error.message).not.toContain(address);
    }
    expect(guard.attempts).toEqual([]);
    expect(guard.violations).toEqual([]);
    expect(canary.hits).toEqual([]);
  });

  it("refuses a name with one public and one private address, whichever comes first", async () => {
    guard = guardedConnect();
    const resolve = tableResolver({ "mixed.test": ["8.8.8.8", "10.0.0.1"], "mixed6.test": ["fd00::1", "2606:4700:4700::1111"] });
    const outbound = client({ resolve });
    expect((await refusal(outbound("https://mixed.test/"))).kind).toBe("private_address");
    expect((await refusal(outbound("https://mixed6.test/"))).kind).toBe("private_address");
    expect(guard.attempts).toEqual([]);
  });

  it("connects to the address it checked: a rebinding resolver gets no second question", async () => {
    const server = await startServer((req, res) => res.end(`hello ${req.headers.host}`));
    try {
      guard = guardedConnect();
      let answers = 0;
      // First answer: the allowed loopback server. Any later answer: the metadata address.
      const resolve = tableResolver({ "provider.test": () => (answers++ === 0 ? ["127.0.0.1"] : ["169.254.169.254"]) });
      const outbound = client({ resolve, allow: "127.0.0.1/32" });
      // "provider.test" means nothing to the system resolver: had anything looked it up again, this would fail.
      const response = await outbound(`http://provider.test:${server.port}/hello`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`hello provider.test:${server.port}`);
      expect(resolve.lookups).toEqual(["provider.test"]);
      expect(guard.attempts.map((a) => a.hostname)).toEqual(["127.0.0.1"]);
      // A new connection asks again and checks the new answer: the rebound address is refused.
      const fresh = client({ resolve, allow: "127.0.0.1/32" });
      expect((await refusal(fresh(`http://provider.test:${server.port}/again`))).kind).toBe("private_address");
      expect(resolve.lookups).toEqual(["provider.test", "provider.test"]);
      expect(guard.attempts.map((a) => a.hostname)).toEqual(["127.0.0.1"]);
      expect(guard.violations).toEqual([]);
      expect(server.hits.map((h) => h.url)).toEqual(["/hello"]);
    } finally {
      await server.close();
    }
  });

  it("hands a public name's checked address to the connector, with the name kept for TLS", async () => {
    guard = guardedConnect(); // records the attempt and refuses it: nothing leaves the machine
    const resolve = tableResolver({ "api.provider.test": ["2606:4700:4700::1111", "1.1.1.1"] });
    const outbound = client({ resolve });
    const error = await outbound("https://api.provider.test/v1").catch((e: unknown) => e);
    expect(findOutboundRefusal(error)).toBeUndefined(); // it passed the check; the (guarded) connection failed
    expect(guard.attempts).toEqual([
      { hostname: "2606:4700:4700::1111", servername: "api.provider.test" },
      { hostname: "1.1.1.1", servername: "api.provider.test" },
    ]);
    expect(resolve.lookups).toEqual(["api.provider.test"]);
  });

  it("reaches public hosts over https only: plain http is for allow-listed addresses", async () => {
    guard = guardedConnect();
    const resolve = tableResolver({ "api.provider.test": ["1.1.1.1"] });
    const outbound = client({ resolve, allow: "127.0.0.1/32" });
    expect((await refusal(outbound("http://api.provider.test/v1"))).kind).toBe("insecure_http");
    expect(guard.attempts).toEqual([]);
  });

  it("allows a non-public address only when the allow list names it", async () => {
    guard = guardedConnect();
    const outbound = client({ allow: "127.0.0.1/32" });
    const ok = await outbound(`${canary.url}/allowed`);
    expect(await ok.text()).toBe("canary");
    expect((await refusal(outbound(`http://127.0.0.2:${canary.port}/`))).kind).toBe("private_address");
    expect((await refusal(outbound(`http://[::1]:${canary6.port}/`))).kind).toBe("private_address");
    expect(canary.hits.map((h) => h.url)).toEqual(["/allowed"]);
    expect(canary6.hits).toEqual([]);
    canary.hits.length = 0;
  });

  it("says so when a name does not resolve, and refuses what is not http(s)", async () => {
    guard = guardedConnect();
    const outbound = client({ resolve: tableResolver({}) });
    expect((await refusal(outbound("https://nowhere.test/"))).kind).toBe("dns_failed");
    for (const url of ["file:///etc/passwd", "ftp://files.test/x", "gopher://x.test/", "data:text/plain,hi", "not a url"]) {
      expect((await refusal(outbound(url))).kind, url).toBe("bad_scheme");
    }
    expect(guard.attempts).toEqual([]);
  });
});

describe("redirects", () => {
  let target: TestServer;
  let redirector: TestServer;
  beforeAll(async () => {
    // The canary listens on another loopback address that the allow list does not name.
    target = await startCanary("127.0.0.2");
    redirector = await startServer((_req, res) => {
      res.writeHead(302, { Location: `${target.url}/secret` });
      res.end("moved");
    });
  });
  afterAll(async () => {
    await target.close();
    await redirector.close();
  });

  it("are returned to the caller, never followed, whatever the caller asked for", async () => {
    guard = guardedConnect();
    const outbound = client({ allow: "127.0.0.1/32" });
    for (const redirect of [undefined, "follow", "error", "manual"] as const) {
      const response = await outbound(`${redirector.url}/start`, redirect ? { redirect } : {});
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`${target.url}/secret`);
      await response.text();
    }
    expect(target.hits).toEqual([]);
    expect(redirector.hits).toHaveLength(4);
  });
});

describe("requests given as Request objects", () => {
  it("keeps method, headers and body", async () => {
    const server = await startServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => res.end(`${req.method} ${req.headers["x-test"]} ${body}`));
    });
    try {
      guard = guardedConnect();
      const outbound = client({ allow: "127.0.0.1/32" });
      const request = new Request(`${server.url}/put`, { method: "PUT", headers: { "X-Test": "yes" }, body: "bytes" });
      expect(await (await outbound(request)).text()).toBe("PUT yes bytes");
    } finally {
      await server.close();
    }
  });
});
