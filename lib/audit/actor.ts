import "server-only";
import { headers } from "next/headers";
import { clientAddressFrom, UNKNOWN_ADDRESS } from "@/lib/http/client-address";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Who an audit entry is by: the user's id, their email at that moment (the account may change or go later), and the
 * network address of the request as the server front determined it (lib/http/client-address.ts), the same one
 * the rate limiters key on. Outside a request (jobs, tests) and
 * without any address header the address is null.
 */

export async function requestIp(): Promise<string | null> {
  try {
    const ip = clientAddressFrom(await headers());
    return ip === UNKNOWN_ADDRESS ? null : ip;
  } catch {
    return null;
  }
}

export async function auditActor(client: Pick<Prisma.TransactionClient, "user">, userId: string) {
  const [user, ipAddress] = await Promise.all([client.user.findUnique({ where: { id: userId }, select: { email: true } }), requestIp()]);
  return { actorId: userId, actorEmail: user?.email ?? null, ipAddress };
}
