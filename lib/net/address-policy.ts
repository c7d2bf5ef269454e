import ipaddr from "ipaddr.js";

/**
 * Which network addresses Atelier's server may connect to on behalf of users and providers (see lib/net/outbound.ts).
 *
 * The rule: only globally routable unicast. IPv4 is public when ipaddr.js calls it plain `unicast`, i.e. outside
 * 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15,
 * 198.51.100/24, 203.0.113/24, 224/4, 240/4, 255.255.255.255 and the AS112/AMT anycast blocks. IPv6 is public only
 * inside 2000::/3 and outside every special range ipaddr.js knows (documentation, benchmarking, ORCHID, Teredo,
 * 6to4, segment routing ...); unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast, discard
 * and the IPv4-compatible ::/96 are refused. Addresses that carry an IPv4 address are judged by it: IPv4-mapped
 * ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d (so DNS64 networks keep working). 6to4 and Teredo are refused outright.
 *
 * No network access and no Node.js APIs here: the settings form uses the same rule in the browser.
 */

export type AddressRange = string;

export interface AddressVerdict {
  /** Canonical form (IPv4 dotted quad, IPv6 RFC 5952). */
  address: string;
  public: boolean;
  /** ipaddr.js's range name (`unicast`, `private`, `loopback`, `uniqueLocal` ...), or ours (`ipv4Compatible` ...). */
  range: AddressRange;
}

const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

function v4Verdict(ip: ipaddr.IPv4, shownAs: string, prefix = ""): AddressVerdict {
  const range = ip.range();
  return { address: shownAs, public: range === "unicast", range: prefix ? `${prefix}:${range}` : range };
}

/**
 * IPv6 in the WHATWG URL parser's canonical form. ipaddr.js reads any dotted tail as IPv4-mapped (`::127.0.0.1`
 * would pass for ::ffff:127.0.0.1), while it really is ::7f00:1: the URL parser spells it the way sockets read it.
 */
function canonicalV6(bare: string): string {
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare;
  }
}

/** Classifies one IP address (any spelling ipaddr.js parses). Throws a TypeError for something that is not one. */
export function classifyAddress(text: string): AddressVerdict {
  let bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) throw new TypeError("not an IP address");
  if (bare.includes(":")) bare = canonicalV6(bare);
  const ip = ipaddr.parse(bare);
  if (ip.kind() === "ipv4") {
    const v4 = ip as ipaddr.IPv4;
    return v4Verdict(v4, v4.toString());
  }
  const v6 = ip as ipaddr.IPv6;
  const shown = v6.toRFC5952String();
  if (v6.isIPv4MappedAddress()) return v4Verdict(v6.toIPv4Address(), shown, "ipv4Mapped");
  if (v6.match(NAT64_WELL_KNOWN)) {
    const bytes = v6.toByteArray().slice(12);
    return v4Verdict(new ipaddr.IPv4(bytes), shown, "nat64");
  }
  const range = v6.range();
  if (range !== "unicast") return { address: shown, public: false, range };
  if (v6.match(IPV4_COMPATIBLE)) return { address: shown, public: false, range: "ipv4Compatible" };
  if (!v6.match(GLOBAL_UNICAST_V6)) return { address: shown, public: false, range: "notGlobalUnicast" };
  return { address: shown, public: true, range };
}

export function isPublicAddress(text: string): boolean {
  try {
    return classifyAddress(text).public;
  } catch {
    return false;
  }
}

/** True when `text` is an IP address in some spelling that WHATWG URL hostnames use (v4 dotted, [v6] or bare v6). */
export function isIpLiteral(text: string): boolean {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  return ipaddr.IPv6.isValid(bare) || ipaddr.IPv4.isValidFourPartDecimal(bare);
}

// ---------------------------------------------------------------------------------------------------------------
// The explicit allow list (ATELIER_OUTBOUND_ALLOW_PRIVATE): addresses that are not public but may be reached anyway.

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Parses "127.0.0.1/32, ::1, 10.1.2.0/24" (bare addresses mean a single host). Addresses must be written in their
 * canonical form (no 0x7f.1 spellings); a /0 would switch the check off and is refused.
 */
export function parseAllowList(text: string | undefined): Cidr[] {
  if (!text) return [];
  const out: Cidr[] = [];
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const [address = "", bits] = item.split("/");
    if (!ipaddr.IPv6.isValid(address) && !ipaddr.IPv4.isValidFourPartDecimal(address)) {
      throw new TypeError(`"${item}" is not an IP address or CIDR range`);
    }
    const ip = ipaddr.parse(address.includes(":") ? canonicalV6(address) : address);
    const max = ip.kind() === "ipv4" ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!/^\d{1,3}$/.test(bits ?? String(max)) || !Number.isInteger(prefix) || prefix < 1 || prefix > max) {
      throw new TypeError(`"${item}" has an invalid prefix length (1 to ${max})`);
    }
    out.push([ip, prefix]);
  }
  return out;
}

/** True when the address is inside one of the allow list's ranges (an IPv4-mapped address matches IPv4 ranges). */
export function isInAllowList(text: string, allow: readonly Cidr[]): boolean {
  if (allow.length === 0) return false;
  let bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return false;
  if (bare.includes(":")) bare = canonicalV6(bare);
  let ip = ipaddr.parse(bare);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return allow.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}
