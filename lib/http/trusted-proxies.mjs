// @ts-check
import ipaddr from 'ipaddr.js';

/**
 * Who sent a request, as the server (scripts/server.mjs) works it out before Next sees the request. What it promises:
 * - With no trusted proxy configured (the default), the client is the TCP peer: `X-Forwarded-For` and the other
 *   forwarded headers are ignored (and stripped), so rotating them changes nothing.
 * - `ATELIER_TRUSTED_PROXIES` is either a hop count (`1` = exactly one proxy in front, whose `X-Forwarded-For` entry
 *   is the client) or a comma-separated list of proxy addresses and CIDR ranges (`127.0.0.1, 10.0.0.0/8`, and the
 *   words `loopback` and `private`). With a list, the chain `X-Forwarded-For + peer` is walked from the right while
 *   the address is a trusted proxy; the first one that is not is the client. Forwarded host/proto headers are kept
 *   only when the peer itself is trusted.
 * - Addresses come out canonical (IPv4-mapped IPv6 as plain IPv4, IPv6 compressed), so one client has one key.
 * This file is plain JavaScript so that the server launcher and lib/env.ts (validation) share it.
 */

/** @typedef {{ kind: 'none' } | { kind: 'hops', hops: number } | { kind: 'list', ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][], text: string }} ProxyTrust */

const NAMED = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fe80::/10', '169.254.0.0/16'],
};

/**
 * @param {string | undefined} text
 * @returns {ProxyTrust}
 */
export function parseTrustedProxies(text) {
  const value = (text ?? '').trim();
  if (value === '' || value === '0' || value.toLowerCase() === 'none') return { kind: 'none' };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new Error('ATELIER_TRUSTED_PROXIES: a hop count must be between 0 and 10');
    return { kind: 'hops', hops };
  }
  /** @type {[ipaddr.IPv4 | ipaddr.IPv6, number][]} */
  const ranges = [];
  for (const raw of value.split(',')) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    const cidrs = item in NAMED ? NAMED[/** @type {keyof typeof NAMED} */ (item)] : [item.includes('/') ? item : null].filter(Boolean);
    if (cidrs.length === 0) {
      const address = parseAddress(item);
      if (!address) throw new Error(`ATELIER_TRUSTED_PROXIES: "${raw.trim()}" is not an IP address, a CIDR range, "loopback" or "private"`);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      continue;
    }
    for (const cidr of cidrs) {
      try {
        const [address, prefix] = ipaddr.parseCIDR(/** @type {string} */ (cidr));
        ranges.push([unmap(address), address.kind() === 'ipv6' && unmap(address).kind() === 'ipv4' ? prefix - 96 : prefix]);
      } catch {
        throw new Error(`ATELIER_TRUSTED_PROXIES: "${raw.trim()}" is not a valid CIDR range`);
      }
    }
  }
  if (ranges.length === 0) return { kind: 'none' };
  return { kind: 'list', ranges, text: value };
}

/** @param {ipaddr.IPv4 | ipaddr.IPv6} address */
function unmap(address) {
  return address.kind() === 'ipv6' && /** @type {ipaddr.IPv6} */ (address).isIPv4MappedAddress()
    ? /** @type {ipaddr.IPv6} */ (address).toIPv4Address()
    : address;
}

/**
 * An address as found in a socket or a forwarded header ("1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::ffff:1.2.3.4"),
 * or null when it is not one. Only the strict dotted-quad IPv4 form is read (no "127.1" shorthands).
 * @param {string | undefined | null} text
 */
export function parseAddress(text) {
  if (!text) return null;
  let value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = /** @type {string} */ (bracketed[1]);
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  value = value.replace(/%[\w.-]+$/, ''); // an IPv6 zone id
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (value.includes(':') && ipaddr.IPv6.isValid(value)) return unmap(ipaddr.IPv6.parse(value));
  return null;
}

/**
 * @param {ProxyTrust} trust
 * @param {ipaddr.IPv4 | ipaddr.IPv6 | null} address
 */
function trusted(trust, address) {
  if (!address || trust.kind !== 'list') return false;
  return trust.ranges.some(([range, prefix]) => range.kind() === address.kind() && address.match(range, prefix));
}

/**
 * The client's address and whether the peer is a trusted proxy (whose forwarded host/proto headers may be kept).
 * @param {{ trust: ProxyTrust, socketAddress: string | undefined, forwardedFor: string | string[] | undefined }} input
 * @returns {{ address: string, peerTrusted: boolean }}
 */
export function clientAddress({ trust, socketAddress, forwardedFor }) {
  const peer = parseAddress(socketAddress);
  const peerText = peer ? peer.toString() : 'unknown';
  if (trust.kind === 'none') return { address: peerText, peerTrusted: false };
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .slice(-20);
  const chain = [...entries.map(parseAddress), peer];
  if (trust.kind === 'hops') {
    // The proxy nearest to us appended the address it saw; `hops` proxies in all means the client is that many
    // entries left of the peer. Too few entries: someone reached us without going through every proxy.
    for (let i = chain.length - 1 - trust.hops; i < chain.length; i++) {
      const candidate = chain[Math.max(0, i)];
      if (candidate) return { address: candidate.toString(), peerTrusted: true };
    }
    return { address: peerText, peerTrusted: true };
  }
  if (!trusted(trust, peer)) return { address: peerText, peerTrusted: false };
  let i = chain.length - 1;
  while (i > 0 && trusted(trust, chain[i] ?? null)) i--;
  // An unreadable entry can only come from left of the last trusted proxy: key on that proxy instead.
  const found = chain[i] ?? chain[i + 1] ?? peer;
  return { address: found ? found.toString() : peerText, peerTrusted: true };
}
