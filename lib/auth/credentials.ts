import "server-only";
import { CredentialsSignin } from "@auth/core/errors";
import { recordFailedSignIn, recordSignInLimited, typedEmail } from "@/lib/audit/sign-in";
import { verifyPassword } from "@/lib/crypto/passwords";
import { admitSignInAttempt, settleSuccessfulSignIn } from "@/lib/auth/sign-in-limits";
import { findUserForSignIn } from "@/lib/data/users";
import { clientAddressFrom } from "@/lib/http/client-address";
import { signInSchema } from "@/lib/validation/auth";

/**
 * Refused by a sign-in limit. Auth.js passes `code` on: to the sign-in form's action (which shows the wait) and, for
 * a POST straight to /api/auth/callback/credentials, into the redirect (`/sign-in?error=CredentialsSignin&code=…`).
 */
export class SignInRateLimited extends CredentialsSignin {
  override code: string;
  constructor(readonly retryAfterSeconds: number) {
    super("sign-in rate limited");
    this.code = `rate_limited_${retryAfterSeconds}`;
  }
}

/** The seconds to wait carried by a SignInRateLimited code, or null for any other code. */
export function retryAfterFromCode(code: unknown): number | null {
  const match = typeof code === "string" ? /^rate_limited_(\d{1,6})$/.exec(code) : null;
  return match ? Number(match[1]) : null;
}

/**
 * The credentials check behind Auth.js's `authorize`: the account for an email and password, or null. Every way in
 * reaches it, so the sign-in limits live here (lib/auth/sign-in-limits.ts): the attempt is counted before the
 * password is verified, and a limited attempt throws SignInRateLimited without verifying anything. Every refusal
 * looks and costs the same to the caller whether the email has an account or not; only the audit entry says why.
 */
export async function authorizeCredentials(raw: unknown, request: Request): Promise<{ id: string; email: string; name: string | null } | null> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) {
    const email = raw && typeof raw === "object" && "email" in raw ? typedEmail(raw.email) : null;
    await recordFailedSignIn({ email, user: null }, "invalid_input");
    return null;
  }
  const { email, password } = parsed.data;
  const address = clientAddressFrom(request.headers);
  const user = await findUserForSignIn(email);
  const gate = await admitSignInAttempt(email, address, user?.id ?? null);
  if (!gate.ok) {
    await recordSignInLimited({ email, user: user && { id: user.id, email: user.email } }, gate.limit, gate.retryAfterSeconds);
    throw new SignInRateLimited(gate.retryAfterSeconds);
  }
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid || user.disabledAt) {
    const reason = !user ? "unknown_email" : !user.passwordHash ? "no_password" : !valid ? "wrong_password" : "account_disabled";
    await recordFailedSignIn({ email, user: user && { id: user.id, email: user.email } }, reason);
    return null;
  }
  await settleSuccessfulSignIn(email, address);
  return { id: user.id, email: user.email, name: user.name };
}
