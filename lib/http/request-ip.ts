import "server-only";
import { headers } from "next/headers";
import { clientAddressFrom, UNKNOWN_ADDRESS } from "@/lib/http/client-address";

/**
 * The network address of the current request as the server front determined it (lib/http/client-address.ts), the
 * same one the rate limiters key on, for the audit log. Outside a request (jobs, tests) and without any address
 * header it is null.
 */
export async function requestIp(): Promise<string | null> {
  try {
    const ip = clientAddressFrom(await headers());
    return ip === UNKNOWN_ADDRESS ? null : ip;
  } catch {
    return null;
  }
}
