/**
 * The one error the provider clients throw, and the mapping from an upstream answer to it.
 *
 * Promises:
 * - `cause` is one of a closed set the domain can act on (retry later, ask for a new key, reconcile, ...).
 * - Neither `message`, `userMessage` nor any other property ever holds an API key or a raw upstream body. The only
 *   upstream text that may appear is a short provider message for `invalid_input`, kept only when it is plain text
 *   under 200 characters, with the known secrets and anything shaped like a key or token redacted.
 *
 * This module imports nothing server-side on purpose: the client-safe request schemas throw `ProviderError` for
 * refused items, and forms may import those. It holds no secret itself; secrets are passed in only to be redacted.
 */

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
  const clean = sanitizeProviderMessage(info.providerMessage, info.secrets);
  const cause = causeForStatus(status, info.providerMessage);
  const what = info.operation ? `${info.operation}: ` : "";
  const detail = clean ? ` (${clean})` : "";
  const message = `${providerLabel[provider]} ${what}HTTP ${status} → ${cause}${detail}`;
  const options: ProviderErrorOptions = { status };
  if (info.retryAfterMs !== undefined) options.retryAfterMs = info.retryAfterMs;
  if (info.field !== undefined) options.field = info.field;
  if (cause === "invalid_input" && clean) {
    options.userMessage = `${providerLabel[provider]} rejected the request: ${clean}`;
  }
  return new ProviderError(provider, cause, message, options);
}

export function causeForStatus(status: number, providerMessage?: string): ProviderErrorCause {
  const text = typeof providerMessage === "string" ? providerMessage : "";
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
