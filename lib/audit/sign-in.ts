import "server-only";
import { requestIp } from "@/lib/http/request-ip";
import { recordAuditQuietly } from "@/lib/data/audit";

/**
 * Sign-in, sign-up and sign-out records. They are account events (no workspace): each workspace the user belongs to shows them. A failed
 * attempt on an existing account is recorded as that account's; one on an unknown email keeps only what was typed.
 * Writing them never changes the answer: errors are logged and swallowed, and a known and an unknown email cost the
 * same one insert, so timing still says nothing about which emails have accounts.
 */

export type SignInFailure = "wrong_password" | "unknown_email" | "no_password" | "account_disabled" | "invalid_input";

/**
 * The email as typed, in the form sign-in compares it (trimmed, lower case), cut to a size fit for a log, without
 * control characters (PostgreSQL can't store NUL, and the entry would be lost).
 */
export function typedEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.replace(/[\u0000-\u001f\u007f]/g, "").trim().toLowerCase().slice(0, 200);
  return email || null;
}

export async function recordSignIn(user: { id: string; email: string | null }, method: string): Promise<void> {
  await recordAuditQuietly({
    action: "auth.sign_in",
    workspaceId: null,
    actorId: user.id,
    actorEmail: user.email,
    details: { method },
    ipAddress: await requestIp(),
  });
}

export async function recordFailedSignIn(
  attempt: { email: string | null; user: { id: string; email: string } | null },
  reason: SignInFailure,
  method = "password",
): Promise<void> {
  await recordAuditQuietly({
    action: "auth.sign_in_failed",
    workspaceId: null,
    actorId: attempt.user?.id ?? null,
    actorEmail: attempt.user?.email ?? attempt.email,
    details: { method, reason },
    ipAddress: await requestIp(),
  });
}

/** A sign-in refused by a limit (lib/auth/sign-in-limits.ts) before any password was checked. */
export async function recordSignInLimited(
  attempt: { email: string | null; user: { id: string; email: string } | null },
  limit: string,
  retryAfterSeconds: number,
): Promise<void> {
  await recordAuditQuietly({
    action: "auth.rate_limited",
    workspaceId: null,
    actorId: attempt.user?.id ?? null,
    actorEmail: attempt.user?.email ?? attempt.email,
    details: { what: "signIn", limit, retryAfterSeconds },
    ipAddress: await requestIp(),
  });
}

/** The end of a session (Auth.js's signOut event, whichever way it was asked for): an account event. */
export async function recordSignOut(userId: string): Promise<void> {
  await recordAuditQuietly({ action: "auth.signed_out", workspaceId: null, actorId: userId });
}

/** An account made through a sign-in provider (Auth.js's createUser event); password sign-ups record their own. */
export async function recordOAuthSignUp(user: { id: string; email: string | null }): Promise<void> {
  await recordAuditQuietly({ action: "auth.signed_up", workspaceId: null, actorId: user.id, actorEmail: user.email, targetType: "user", targetId: user.id, details: { method: "oauth" } });
}
