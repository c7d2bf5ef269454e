/**
 * The error line kept with a failing job (`Job.lastError`), with a dead one in the `DeadJob` archive (which workspace
 * admins read in Settings → Jobs), and in the worker's log.
 * Promises: one line of at most 300 characters; the error's name and the start of its message, cut where anything
 * shaped like a body begins (markup, JSON, a stack); bearer tokens, key-like words and long opaque runs redacted.
 * Atelier's own errors are sentences (a ProviderError's message carries at most a short, already sanitized provider
 * message), so what is cut is what should never have been there.
 */

export const DEAD_JOB_ERROR_MAX = 300;

const secretShaped = [
  /\bbearer\s+\S+/gi,
  /\b(?:sk|pk|rk|api|key|tok|token|secret|password)[-_=:][^\s,;]{4,}/gi,
  // Long opaque runs mixing letters and digits (keys, JWT parts, signatures, presigned query strings).
  /[A-Za-z0-9_\-+/=.%]{24,}/g,
];

export function jobErrorLine(error: unknown): string {
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : typeof error === "string" ? error : "Error: (not an Error)";
  let line = raw.split(/[\r\n]/, 1)[0] ?? "";
  const body = line.search(/[<{[`]/);
  if (body >= 0) line = `${line.slice(0, body).trimEnd()} …`;
  for (const pattern of secretShaped) {
    line = line.replace(pattern, (match) => (/\d/.test(match) || /^bearer/i.test(match) || /[=:]/.test(match) ? "[redacted]" : match));
  }
  return line.length > DEAD_JOB_ERROR_MAX ? `${line.slice(0, DEAD_JOB_ERROR_MAX - 1)}…` : line;
}
