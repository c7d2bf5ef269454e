import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

// One client per process, created on first use (so `next build` can import this module without a database).
// In development, Next re-evaluates modules on every edit; the global keeps one pool.
const globalForDb = globalThis as unknown as { atelierDb?: PrismaClient };

function client(): PrismaClient {
  if (!globalForDb.atelierDb) {
    // Sessions in UTC: Prisma's pg adapter writes a Date as zone-less text, which a timestamptz column reads in the
    // session's TimeZone, and it reads a timestamptz back as if its offset were +00. Pinning the session makes both
    // exact whatever the server's default; raw SQL does not rely on it (lib/data/instant.ts).
    const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: 10, options: "-c TimeZone=UTC" });
    globalForDb.atelierDb = new PrismaClient({ adapter });
  }
  return globalForDb.atelierDb;
}

export const db = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const target = client();
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});
