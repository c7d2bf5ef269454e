import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { db } from "@/lib/db";

/**
 * Auth.js's database adapter (users and linked OAuth/OIDC accounts; sessions are ours, lib/auth/sessions.ts). It is
 * database access, so it is built here, where lib/db may be imported.
 */
export function authAdapter() {
  return PrismaAdapter(db);
}
