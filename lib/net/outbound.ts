import "server-only";
import { env } from "@/lib/env";
import { parseAllowList, type Cidr } from "@/lib/net/address-policy";
import { createOutboundFetch, resolveChecked, systemResolver, type OutboundFetch, type OutboundOptions, type ResolvedAddress } from "@/lib/net/outbound-fetch";

/**
 * This server's checked outbound client (lib/net/outbound-fetch.ts), configured from ATELIER_OUTBOUND_ALLOW_PRIVATE,
 * one per process (its connection pool is shared). Everything on the server that fetches a URL on behalf of a user
 * or a provider goes through `outboundFetch()`; the save-time check of a user-supplied address uses the same rule
 * through `checkOutboundUrl`.
 */

/** Set only by lib/net/testing.ts (tests): a resolver, a connector and an allow list for this process's client. */
export type OutboundTestOptions = Pick<OutboundOptions, "resolve" | "connect"> & { allow?: string };
const globalForOutbound = globalThis as unknown as { atelierOutbound?: OutboundFetch; atelierOutboundTest?: OutboundTestOptions };

export function outboundAllowList(): Cidr[] {
  const test = globalForOutbound.atelierOutboundTest;
  return parseAllowList(test?.allow ?? env().ATELIER_OUTBOUND_ALLOW_PRIVATE);
}

export function outboundFetch(): OutboundFetch {
  if (!globalForOutbound.atelierOutbound) {
    const test = globalForOutbound.atelierOutboundTest ?? {};
    const options: OutboundOptions = { allow: outboundAllowList() };
    if (test.resolve) options.resolve = test.resolve;
    if (test.connect) options.connect = test.connect;
    globalForOutbound.atelierOutbound = createOutboundFetch(options);
  }
  return globalForOutbound.atelierOutbound;
}

/**
 * Checks a URL a user typed before it is stored: resolves its host the way a request would and throws
 * OutboundRefusedError unless every address is public (or allow-listed). Nothing is connected.
 */
export async function checkOutboundUrl(url: URL): Promise<ResolvedAddress[]> {
  const test = globalForOutbound.atelierOutboundTest;
  return resolveChecked(url.hostname, { allow: outboundAllowList(), resolve: test?.resolve ?? systemResolver, protocol: url.protocol });
}
