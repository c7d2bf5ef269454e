import "server-only";
import { lookup } from "node:dns/promises";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { classifyAddress, isInAllowList, isIpLiteral, parseAllowList, type Cidr } from "@/lib/net/address-policy";
import { OutboundRefusedError } from "@/lib/net/errors";

/**
 * The one checked HTTP client for every request the server makes on behalf of users and providers (provider API
 * calls, presigned uploads, result downloads). What it promises:
 *
 * - Only http and https. Plain http only to addresses in the explicit allow list (ATELIER_OUTBOUND_ALLOW_PRIVATE,
 *   for development and tests): a public host is reached over https or not at all.
 * - The host is resolved ONCE, inside the connection step, and EVERY address it resolves to must be public
 *   (lib/net/address-policy.ts) or in the allow list; otherwise nothing is connected. The socket is then opened to
 *   one of those checked addresses (TLS still verifies the certificate against the host name): there is no second
 *   lookup for a rebinding DNS server to answer differently. A pooled connection is reused only for its own origin,
 *   so it is always one that was made to a checked address.
 * - IP-literal hosts (any spelling: the WHATWG URL parser turns `0x7f.1`, `2130706433`, `127.1` and `0177.0.0.1`
 *   into 127.0.0.1 before anything else sees them) are checked before the request is dispatched.
 * - Redirects are never followed: `redirect` is forced to "manual", so a 3xx comes back to the caller as an answer
 *   (the provider clients treat it as an error; lib/net/download.ts re-checks each hop itself).
 * - Refusals throw `OutboundRefusedError` (wrapped by fetch in TypeError("fetch failed") when they happen while
 *   connecting); its sentence names the kind and the host, never an address or anything the remote side sent.
 *
 * Built on the undici package (not Node's bundled copy) so the connector is ours; its Response is the WHATWG one.
 */

export type ResolvedAddress = { address: string; family: number };
/** Resolves a host name to every address it has (the connection uses one of them, after all are checked). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
/** Opens the socket. `options.hostname` is the checked address; `options.servername` the host name for TLS. */
export type Connector = buildConnector.connector;

export interface OutboundOptions {
  /** Non-public addresses that may be reached anyway: parsed CIDRs or the ATELIER_OUTBOUND_ALLOW_PRIVATE text. */
  allow?: readonly Cidr[] | string;
  /** Default: the system resolver, all addresses in its own order (`dns.promises.lookup(host, { all, verbatim })`). */
  resolve?: Resolver;
  /** Default: undici's TCP/TLS connector. Tests inject one that refuses any address but loopback. */
  connect?: Connector;
  connectTimeoutMs?: number;
  /** Idle time allowed while waiting for headers / between body chunks. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export type OutboundFetch = typeof fetch & {
  /** Closes pooled connections (tests, shutdown). */
  close(): Promise<void>;
};

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

function bare(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

export interface CheckHostOptions {
  allow: readonly Cidr[];
  resolve: Resolver;
  protocol: string;
}

/**
 * Resolves `hostname` (URL spelling: IPv6 may be bracketed) and checks every address. Returns the checked
 * addresses, or throws OutboundRefusedError (private_address, insecure_http, dns_failed).
 */
export async function resolveChecked(hostname: string, options: CheckHostOptions): Promise<ResolvedAddress[]> {
  const host = bare(hostname);
  let addresses: ResolvedAddress[];
  if (isIpLiteral(host)) {
    addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await options.resolve(host);
    } catch (error) {
      throw new OutboundRefusedError("dns_failed", hostname, { cause: error });
    }
    if (addresses.length === 0) throw new OutboundRefusedError("dns_failed", hostname);
  }
  for (const { address } of addresses) {
    let isPublic = false;
    try {
      isPublic = classifyAddress(address).public;
    } catch {
      isPublic = false; // a resolver answer that is not an address at all
    }
    if (!isPublic && !isInAllowList(address, options.allow)) throw new OutboundRefusedError("private_address", hostname);
  }
  if (options.protocol === "http:" && !addresses.every(({ address }) => isInAllowList(address, options.allow))) {
    throw new OutboundRefusedError("insecure_http", hostname);
  }
  return addresses;
}

const retryNextAddress = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT"]);

function checkedConnector(allow: readonly Cidr[], resolve: Resolver, connect: Connector): Connector {
  return (options, callback) => {
    resolveChecked(options.hostname, { allow, resolve, protocol: options.protocol }).then(
      (addresses) => {
        const host = bare(options.hostname);
        const servername = options.servername ?? (isIpLiteral(host) ? undefined : host);
        // Every address passed the check; try them in the resolver's order (one may be unreachable, e.g. IPv6).
        const attempt = (index: number) => {
          const target = addresses[index] as ResolvedAddress;
          const next: buildConnector.Options = { ...options, hostname: target.address };
          if (servername !== undefined) next.servername = servername;
          connect(next, (...args) => {
            const [error] = args;
            const code = (error as { code?: unknown } | null)?.code;
            if (error && index + 1 < addresses.length && typeof code === "string" && retryNextAddress.has(code)) attempt(index + 1);
            else callback(...args);
          });
        };
        attempt(0);
      },
      (error: Error) => callback(error, null),
    );
  };
}

type AnyInit = RequestInit & { dispatcher?: unknown; duplex?: "half" };

/** Accepts what `fetch` accepts; a Request (of any fetch implementation) is taken apart into URL + init. */
async function normalize(input: string | URL | Request, init: RequestInit | undefined): Promise<{ url: string; init: AnyInit }> {
  if (typeof input === "string" || input instanceof URL) return { url: String(input), init: { ...init } };
  const request = input;
  const fromRequest: AnyInit = { method: request.method, headers: request.headers, signal: request.signal };
  if (request.body !== null && request.method !== "GET" && request.method !== "HEAD") {
    fromRequest.body = new Uint8Array(await request.arrayBuffer());
  }
  return { url: request.url, init: { ...fromRequest, ...init } };
}

export function createOutboundFetch(options: OutboundOptions = {}): OutboundFetch {
  const allow: readonly Cidr[] = typeof options.allow === "string" ? parseAllowList(options.allow) : (options.allow ?? []);
  const resolve = options.resolve ?? systemResolver;
  const connect = options.connect ?? buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const agent = new Agent({
    connect: checkedConnector(allow, resolve, connect),
    headersTimeout: options.headersTimeoutMs ?? 120_000,
    bodyTimeout: options.bodyTimeoutMs ?? 60_000,
  });

  const outbound = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = await normalize(input, init);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw new OutboundRefusedError("bad_scheme", "");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundRefusedError("bad_scheme", url.hostname);
    // Literal addresses need no lookup: refuse them before anything is queued (the connector checks again).
    if (isIpLiteral(bare(url.hostname))) await resolveChecked(url.hostname, { allow, resolve, protocol: url.protocol });
    const response = await undiciFetch(url, {
      ...(request.init as Parameters<typeof undiciFetch>[1]),
      redirect: "manual",
      dispatcher: agent,
    });
    return response as unknown as Response;
  };
  let closing: Promise<void> | undefined;
  return Object.assign(outbound as typeof fetch, { close: () => (closing ??= agent.close()) });
}
