import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildConnector } from "undici";
import type { Connector, ResolvedAddress, Resolver } from "@/lib/net/outbound-fetch";

/**
 * Test support for the outbound check. The network rule for tests: traffic goes to loopback only. Refusals are
 * proved with an injected resolver (names answer whatever address a test needs, nothing is looked up) and a
 * connector that opens sockets to loopback only and records anything else as a violation, refusing it.
 */

export interface TestServer {
  url: string;
  port: number;
  host: string;
  hits: { method: string; url: string; host: string | undefined }[];
  close(): Promise<void>;
}

/** A loopback HTTP server; `handler` defaults to 200 "ok". Every request is recorded in `hits`. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end("ok"),
  host = "127.0.0.1",
): Promise<TestServer> {
  const hits: TestServer["hits"] = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? "", url: req.url ?? "", host: req.headers.host });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    host,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A canary: any request reaching it is a failure of the check under test (assert `hits` is empty). */
export const startCanary = (host = "127.0.0.1") => startServer((_req, res) => res.end("canary"), host);

function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === "::1" || /^::ffff:127\./i.test(address);
}

export interface GuardedConnect {
  connect: Connector;
  /** Every address the client asked to connect to, in order. */
  attempts: { hostname: string; servername: string | undefined }[];
  /** Non-loopback addresses it asked for (refused here, never connected): must stay empty in refusal tests. */
  violations: string[];
}

/** Connects to loopback only; any other address is recorded and refused with ECONNREFUSED, never opened. */
export function guardedConnect(): GuardedConnect {
  const real = buildConnector({ timeout: 2_000 });
  const attempts: GuardedConnect["attempts"] = [];
  const violations: string[] = [];
  const connect: Connector = (options, callback) => {
    attempts.push({ hostname: options.hostname, servername: options.servername });
    if (!isLoopback(options.hostname)) {
      violations.push(options.hostname);
      const error = Object.assign(new Error("test guard: refused a non-loopback connection"), { code: "ECONNREFUSED" });
      queueMicrotask(() => callback(error, null));
      return;
    }
    real(options, callback);
  };
  return { connect, attempts, violations };
}

/** A resolver answering from a table (a name missing from it fails like an unknown name); records every lookup. */
export function tableResolver(table: Record<string, string[] | (() => string[])>): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    lookups.push(hostname);
    const entry = table[hostname];
    if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    const addresses = typeof entry === "function" ? entry() : entry;
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolve, { lookups });
}
