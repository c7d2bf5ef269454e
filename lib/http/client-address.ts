/**
 * The client's network address as the server front (scripts/server.mjs) determined it: from the socket, or from a
 * trusted proxy (ATELIER_TRUSTED_PROXIES). It travels in the `x-atelier-client` header next to a token that only
 * this process knows, so a client that sends the header itself (say, to a server started without the front) is not
 * believed: the address is then "unknown", which every per-address limit treats as one shared address.
 */
export const CLIENT_HEADER = "x-atelier-client";
export const UNKNOWN_ADDRESS = "unknown";

const globalForClient = globalThis as unknown as { __atelierClientToken?: string };

export function clientAddressFrom(headers: Headers): string {
  const value = headers.get(CLIENT_HEADER);
  const token = globalForClient.__atelierClientToken;
  if (!value || !token) return UNKNOWN_ADDRESS;
  const space = value.indexOf(" ");
  if (space === -1 || value.slice(0, space) !== token) return UNKNOWN_ADDRESS;
  return value.slice(space + 1).slice(0, 64) || UNKNOWN_ADDRESS;
}

