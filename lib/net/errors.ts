/**
 * The one error the checked outbound client (lib/net) throws when it refuses a request, and a classifier that says
 * what kind of network failure any fetch error was. Both speak only of what Atelier itself knows (the URL's host
 * name, which the caller supplied, and the kind of failure): never of anything the remote side sent, and never of
 * the addresses a name resolved to (that would turn the messages into an oracle for internal DNS).
 *
 * No Node.js imports: the provider error mapping (client-safe) reads these kinds too.
 */

export const OUTBOUND_REFUSED_CODE = "ATELIER_OUTBOUND_REFUSED";

export type OutboundRefusalKind =
  /** The host is, or resolves to, an address that is not public (and not in ATELIER_OUTBOUND_ALLOW_PRIVATE). */
  | "private_address"
  /** A download from a host outside the provider's hosts (and ATELIER_DOWNLOAD_HOSTS). */
  | "host_not_allowed"
  /** A redirect that is not followed (provider calls), or one too many / to a refused place (downloads). */
  | "redirect"
  /** A download larger than its cap (declared or counted while streaming). */
  | "too_large"
  /** Not http(s), or not a URL at all. */
  | "bad_scheme"
  /** Plain http to an address that is not in the explicit allow list (public hosts are reached over https only). */
  | "insecure_http"
  /** The host name could not be resolved. */
  | "dns_failed";

const sentences: Record<OutboundRefusalKind, (host: string) => string> = {
  private_address: (host) => `Atelier does not connect to ${host}: it is not a public internet address.`,
  host_not_allowed: (host) => `Atelier does not download files from ${host}: it is not one of the provider's hosts.`,
  redirect: (host) => `${host} answered with a redirect, which Atelier does not follow.`,
  too_large: (host) => `The file from ${host} is larger than Atelier accepts.`,
  bad_scheme: () => "Only http and https addresses are used.",
  insecure_http: (host) => `Atelier connects to ${host} only over https.`,
  dns_failed: (host) => `Atelier could not find ${host} (the name did not resolve).`,
};

export class OutboundRefusedError extends Error {
  readonly code = OUTBOUND_REFUSED_CODE;
  readonly kind: OutboundRefusalKind;
  /** The host name as the URL spelled it (canonicalised by the URL parser). */
  readonly host: string;
  /** A sentence for people: the kind of refusal and the host, nothing the remote side sent. */
  readonly userMessage: string;

  constructor(kind: OutboundRefusalKind, host: string, options: { cause?: unknown } = {}) {
    const message = sentences[kind](host || "that address");
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OutboundRefusedError";
    this.kind = kind;
    this.host = host;
    this.userMessage = message;
  }
}

/** The refusal somewhere in an error's cause chain (fetch wraps connector errors in TypeError("fetch failed")). */
export function findOutboundRefusal(error: unknown, depth = 0): OutboundRefusedError | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  if (error instanceof OutboundRefusedError) return error;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  // Across module copies (bundles) instanceof can fail: the code is the contract.
  if (record.code === OUTBOUND_REFUSED_CODE && "kind" in record) return error as OutboundRefusedError;
  const inCause = findOutboundRefusal(record.cause, depth + 1);
  if (inCause) return inCause;
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const found = findOutboundRefusal(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export type NetworkFailureKind = "refused" | "dns" | "connect" | "timeout" | "tls" | "lost";

function codesOf(error: unknown, depth = 0): string[] {
  if (depth > 5 || typeof error !== "object" || error === null) return [];
  const record = error as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  const codes: string[] = [];
  if (typeof record.code === "string") codes.push(record.code);
  if (record.name === "TimeoutError") codes.push("TimeoutError");
  codes.push(...codesOf(record.cause, depth + 1));
  if (Array.isArray(record.errors)) for (const inner of record.errors) codes.push(...codesOf(inner, depth + 1));
  return codes;
}

const dnsCodes = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);
const connectCodes = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "EHOSTDOWN", "ENETDOWN"]);
const timeoutCodes = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT", "TimeoutError"]);

/** What kind of failure a fetch error was, for a message of our own. */
export function networkFailureKind(error: unknown): NetworkFailureKind {
  const refusal = findOutboundRefusal(error);
  if (refusal) return refusal.kind === "dns_failed" ? "dns" : "refused";
  const codes = codesOf(error);
  if (codes.some((code) => dnsCodes.has(code))) return "dns";
  if (codes.some((code) => timeoutCodes.has(code))) return "timeout";
  if (codes.some((code) => connectCodes.has(code))) return "connect";
  if (codes.some((code) => code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code === "EPROTO" || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code))) {
    return "tls";
  }
  return "lost";
}
