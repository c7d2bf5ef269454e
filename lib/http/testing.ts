/**
 * Tests only: the `x-atelier-client` header value the server front (scripts/server.mjs) would set for `address` in
 * this process. Kept apart so the production module (lib/http/client-address.ts) exports no switch; both read the
 * same per-process token.
 */
const slot = globalThis as unknown as { __atelierClientToken?: string };

export function clientHeaderForTests(address: string): string {
  slot.__atelierClientToken ??= "test-client-token";
  return `${slot.__atelierClientToken} ${address}`;
}
