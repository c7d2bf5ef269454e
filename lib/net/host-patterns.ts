/**
 * Host patterns for the hosts provider results may be downloaded from (ATELIER_DOWNLOAD_HOSTS and the built-in
 * defaults): `files.example.com` matches exactly that host, `*.example.com` matches any host below example.com (not
 * example.com itself). Hosts are compared as the WHATWG URL parser writes them (lower case, punycode, no trailing
 * dot), so `FILES.Example.com.` in a URL matches `files.example.com`. Ports are not part of a pattern.
 */

export type HostPattern = { exact: string } | { suffix: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

function isHostName(host: string): boolean {
  return host.length <= 253 && host.split(".").every((label) => LABEL.test(label));
}

/** Parses one pattern; throws a TypeError saying what is wrong with it. */
export function parseHostPattern(text: string): HostPattern {
  const value = normalizeHost(text);
  if (value.startsWith("*.")) {
    const suffix = value.slice(2);
    // "*.com" would allow half the internet: a wildcard needs at least a registrable-looking name under it.
    if (!isHostName(suffix) || suffix.split(".").length < 2) {
      throw new TypeError(`"${text.trim()}" must be a host name or *. followed by a domain with at least two labels`);
    }
    return { suffix };
  }
  const bracketed = /^\[[0-9a-f:.]+\]$/.test(value);
  if (!bracketed && !isHostName(value)) throw new TypeError(`"${text.trim()}" is not a host name (no scheme, port or path)`);
  return { exact: value };
}

/** Parses a comma-separated list (empty items are ignored). */
export function parseHostPatterns(text: string | undefined): HostPattern[] {
  if (!text) return [];
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map(parseHostPattern);
}

export function hostMatches(hostname: string, patterns: readonly HostPattern[]): boolean {
  const host = normalizeHost(hostname);
  return patterns.some((pattern) => ("exact" in pattern ? host === pattern.exact : host.endsWith(`.${pattern.suffix}`)));
}
