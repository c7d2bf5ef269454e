/**
 * The one error the provider clients throw, and the mapping from an upstream answer to it.
 *
 * Promises:
 * - `cause` is one of a closed set the domain can act on (retry later, ask for a new key, reconcile, ...).
 * - `userMessage` (what people see) is always Atelier's own sentence: the kind of failure, with at most a status
 *   code or a field name Atelier itself sent. It never carries text the other side sent: with a base URL a user
 *   chose, that text could come from any server (the outbound check keeps it to public ones, but the rule holds
 *   everywhere).
 * - Neither `message`, `userMessage` nor any other property ever holds an API key or a raw upstream body. The only
 *   upstream text that may appear, in the developer `message` (logs) only, is a short provider message kept when it
 *   is plain text under 200 characters, with the known secrets and anything shaped like a key or token redacted.
 *
 * This module imports nothing server-side on purpose (lib/net/errors has no Node.js imports either): the client-safe request schemas throw `ProviderError` for
 * refused items, and forms may import those. It holds no secret itself; secrets are passed in only to be redacted.
 */

import type { NetworkFailureKind, OutboundRefusalKind } from "@/lib/net/errors";

export type ProviderName = "rendernet" | "qolaba";

export const providerErrorCauses = [
  "invalid_key",
  "invalid_input",
  "out_of_credits",
  "rate_limited",
  "unavailable",
  "timeout",
  "content_refused",
  "unknown_outcome",
  "not_found",
  /** Atelier's outbound check refused the address (lib/net): nothing was sent, and retrying will not help. */
  "blocked",
] as const;
export type ProviderErrorCause = (typeof providerErrorCauses)[number];

export interface ProviderIssue {
  /** Field path, e.g. `items[0].loras[1].weight`. */
  field: string;
  /** A full sentence that names the field, e.g. `items[0].loras[1].weight must be between 0.1 and 1`. */
  message: string;
}

export interface ProviderErrorOptions {
  status?: number;
  retryAfterMs?: number;
  field?: string;
  issues?: ProviderIssue[];
  /** Unix ms when a create was sent (set with `unknown_outcome`, so the caller can reconcile). */
  sentAt?: number;
  userMessage?: string;
  /** For a failure without an answer: what kind (refused by the outbound check, DNS, connect, timeout, TLS, lost). */
  network?: NetworkFailureKind;
  /** For `blocked`: the outbound check's kind of refusal. */
  refusal?: OutboundRefusalKind;
}

const providerLabel: Record<ProviderName, string> = { rendernet: "RenderNet", qolaba: "Qolaba" };

function defaultUserMessage(provider: ProviderName, cause: ProviderErrorCause): string {
  const name = providerLabel[provider];
  switch (cause) {
    case "invalid_key":
      return `${name} rejected the API key. Check the key in the workspace settings.`;
    case "invalid_input":
      return `${name} rejected the request. Check the settings and try again.`;
    case "out_of_credits":
      return `The ${name} account has run out of credits.`;
    case "rate_limited":
      return `${name} is receiving too many requests. Try again in a moment.`;
    case "unavailable":
      return `${name} is unavailable right now. Try again later.`;
    case "timeout":
      return `${name} took too long to answer. Try again later.`;
    case "content_refused":
      return `${name} refused to produce this content.`;
    case "unknown_outcome":
      return `We could not confirm whether ${name} accepted the request. It is being checked; do not resubmit yet.`;
    case "not_found":
      return `${name} could not find that item.`;
    case "blocked":
      return `Atelier refused to connect to ${name}'s address: it is not a public internet address.`;
  }
}

export class ProviderError extends Error {
  readonly provider: ProviderName;
  override readonly cause: ProviderErrorCause;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly field?: string;
  readonly issues?: ProviderIssue[];
  readonly sentAt?: number;
  readonly network?: NetworkFailureKind;
  readonly refusal?: OutboundRefusalKind;
  /** A sentence safe to show to users. */
  readonly userMessage: string;

  constructor(provider: ProviderName, cause: ProviderErrorCause, message: string, options: ProviderErrorOptions = {}) {
    super(message);
    this.name = "ProviderError";
    this.provider = provider;
    this.cause = cause;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.field !== undefined) this.field = options.field;
    if (options.issues !== undefined) this.issues = options.issues;
    if (options.sentAt !== undefined) this.sentAt = options.sentAt;
    if (options.network !== undefined) this.network = options.network;
    if (options.refusal !== undefined) this.refusal = options.refusal;
    this.userMessage = options.userMessage ?? defaultUserMessage(provider, cause);
  }

  toJSON() {
    return {
      name: this.name,
      provider: this.provider,
      cause: this.cause,
      message: this.message,
      userMessage: this.userMessage,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      field: this.field,
      issues: this.issues,
      sentAt: this.sentAt,
      network: this.network,
      refusal: this.refusal,
    };
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** A refusal of our own validation: the message is ours (names the field), so it is also the user message. */
export function invalidInputError(provider: ProviderName, issues: ProviderIssue[]): ProviderError {
  const first = issues[0] ?? { field: "", message: "The request is invalid" };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  const message = `${first.message}${more}`;
  return new ProviderError(provider, "invalid_input", message, {
    field: first.field,
    issues,
    userMessage: message,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Sanitizing upstream messages

const tokenLike = [
  /\bbearer\s+\S+/gi,
  /\b(?:sk|pk|rk|api|key|tok|token|secret)[-_][A-Za-z0-9_-]{6,}/gi,
  // Long opaque runs that mix letters and digits (keys, JWT parts, signatures).
  /[A-Za-z0-9_\-+/=.]{24,}/g,
];

/**
 * Returns a short plain-text provider message with secrets redacted, or undefined when the text is not safe to
 * show (too long, not plain text, empty).
 */
export function sanitizeProviderMessage(raw: unknown, secrets: readonly string[] = []): string | undefined {
  if (typeof raw !== "string") return undefined;
  let text = raw.trim();
  if (text === "" || text.length >= 200) return undefined;
  // Plain text only: no markup, JSON, stack traces or multi-line dumps.
  if (/[<>{}\[\]\n\r\t`]/.test(text) || /\bat\s+\S+\s+\(/.test(text)) return undefined;
  for (const secret of secrets) {
    if (secret.length >= 4) text = text.split(secret).join("[redacted]");
  }
  for (const pattern of tokenLike) {
    text = text.replace(pattern, (match) => (/\d/.test(match) || match.toLowerCase().startsWith("bearer") ? "[redacted]" : match));
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping an HTTP answer

export interface ErrorResponseInfo {
  provider: ProviderName;
  status: number;
  /** The provider's own message if one could be read from the body (never the whole body). */
  providerMessage?: string;
  field?: string;
  retryAfterMs?: number;
  /** Secrets to redact (the API key / token). */
  secrets?: readonly string[];
  /** What was being done, for the developer message, e.g. "GET /pub/v1/generations/{id}". */
  operation?: string;
}

const creditsPattern = /credit|insufficient (?:balance|funds)|out of balance|top ?up|quota exceeded/i;
const refusedPattern = /nsfw|censor|content policy|inappropriate|unsafe content|public figure/i;

/** Maps a non-2xx answer to a ProviderError (see the header for what may appear in it). */
export function providerErrorFromResponse(info: ErrorResponseInfo): ProviderError {
  const { provider, status } = info;
  const redirect = status >= 300 && status < 400;
  // A redirect's body is whatever the other side chose to put there: not even the developer message keeps it.
  const clean = redirect ? undefined : sanitizeProviderMessage(info.providerMessage, info.secrets);
  const cause = causeForStatus(status, redirect ? undefined : info.providerMessage);
  const what = info.operation ? `${info.operation}: ` : "";
  const detail = clean ? ` (${clean})` : "";
  const message = `${providerLabel[provider]} ${what}HTTP ${status} → ${cause}${detail}`;
  const options: ProviderErrorOptions = { status, userMessage: userMessageForStatus(provider, cause, status) };
  if (redirect) options.refusal = "redirect";
  if (info.retryAfterMs !== undefined) options.retryAfterMs = info.retryAfterMs;
  if (info.field !== undefined) options.field = info.field;
  return new ProviderError(provider, cause, message, options);
}

/** Atelier's own sentence for an answer with this status: the kind of failure and the code, no upstream text. */
export function userMessageForStatus(provider: ProviderName, cause: ProviderErrorCause, status: number): string {
  const name = providerLabel[provider];
  if (status >= 300 && status < 400) {
    return `${name} answered with a redirect (HTTP ${status}), which Atelier does not follow: check the provider's address.`;
  }
  if (cause === "invalid_input") return `${name} rejected the request (HTTP ${status}). Check the settings and try again.`;
  return defaultUserMessage(provider, cause);
}

/**
 * "Test connection" in Settings → Providers: what kind of failure this was, in Atelier's words only (status codes
 * and kinds; the host name only when it came from our own configuration or the admin's input, via the refusal).
 */
export function connectionCheckMessage(error: ProviderError): string {
  const name = providerLabel[error.provider];
  const status = error.status;
  if (status !== undefined && status >= 300 && status < 400) {
    return `Unexpected answer: ${name} answered with a redirect (HTTP ${status}), which Atelier does not follow. Check the base URL.`;
  }
  if (error.cause === "blocked") {
    return `Refused: Atelier connects only to public internet addresses over https, and ${name}'s address is not one (${refusalLabel(error.refusal)}).`;
  }
  if (status === undefined) {
    switch (error.network) {
      case "dns":
        return `Could not connect: ${name}'s host name did not resolve (DNS).`;
      case "connect":
        return `Could not connect: nothing answered at ${name}'s address (connection refused or unreachable).`;
      case "timeout":
        return `Timed out: ${name} did not answer in time.`;
      case "tls":
        return `Could not connect securely: the TLS handshake with ${name} failed (certificate or protocol).`;
      case "lost":
        return `The connection to ${name} was lost before it answered.`;
      default:
        break;
    }
    if (error.cause === "timeout") return `Timed out: ${name} did not answer in time.`;
    if (error.cause === "unavailable") return `${name} is unavailable right now (Atelier has stopped calling it for a moment after repeated failures).`;
    return error.userMessage;
  }
  switch (error.cause) {
    case "invalid_key":
      return `Key rejected: ${name} refused the key (HTTP ${status}).`;
    case "out_of_credits":
      return `Connected, but the ${name} account has no credits left (HTTP ${status}).`;
    case "rate_limited":
      return `${name} is limiting requests right now (HTTP ${status}). Try again in a moment.`;
    case "unavailable":
      return status >= 500
        ? `${name} answered with a server error (HTTP ${status}). Try again later.`
        : `Unexpected answer: this does not look like ${name}'s API (HTTP ${status}). Check the base URL.`;
    case "timeout":
      return `Timed out: ${name} did not answer in time (HTTP ${status}).`;
    default:
      return `Unexpected answer: this does not look like ${name}'s API (HTTP ${status}). Check the base URL.`;
  }
}

function refusalLabel(kind: OutboundRefusalKind | undefined): string {
  switch (kind) {
    case "insecure_http":
      return "plain http";
    case "redirect":
      return "a redirect";
    case "bad_scheme":
      return "not an http(s) address";
    default:
      return "a private, loopback, link-local or reserved address";
  }
}

export function causeForStatus(status: number, providerMessage?: string): ProviderErrorCause {
  const text = typeof providerMessage === "string" ? providerMessage : "";
  // A redirect is never followed (lib/net): as final as a refused address, and retrying would get the same answer.
  if (status >= 300 && status < 400) return "blocked";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "unavailable";
  if (status === 402 || (status >= 400 && creditsPattern.test(text))) return "out_of_credits";
  if (status >= 400 && refusedPattern.test(text)) return "content_refused";
  if (status === 401 || status === 403) return "invalid_key";
  if (status === 404) return "not_found";
  if (status === 400 || status === 422) return "invalid_input";
  if (status === 408) return "timeout";
  return status >= 400 ? "invalid_input" : "unavailable";
}
