import "server-only";
import { signedInFromSince } from "@/lib/data/audit";
import { env } from "@/lib/env";
import { consume, peek, refund, reset, type LimitRule } from "@/lib/limits/rate-limiter";

/**
 * The sign-in limits. They are applied where the password is checked (lib/auth/credentials.ts, Auth.js's
 * `authorize`), so every way in counts: the sign-in form's action and a POST straight to
 * /api/auth/callback/credentials alike. An attempt is counted BEFORE the password is verified, in one atomic
 * statement, so concurrent guesses cannot slip past the count; a correct password gives its attempt back.
 *
 * - 5 attempts per (email, address) per 15 minutes: the tight limit. It is keyed on the pair so a stranger guessing
 *   from elsewhere cannot lock the owner out.
 * - 50 attempts per address per 15 minutes, whatever the email: one address spraying many accounts
 *   (ATELIER_SIGN_INS_PER_ADDRESS; a shared office network may need more).
 * - 20 attempts per email per hour from all addresses together: past that, the account is slowed, not locked:
 *   one attempt per 30 seconds for the whole email, and none of this applies to an address the account has signed
 *   in from successfully in the last 90 days, so its owner at home or at work is not slowed by a distributed attack.
 * docs/security.md states these figures; change them together.
 */
export const SIGN_IN_RULES = {
  emailAddress: { name: "sign-in:email+address", points: 5, durationSeconds: 15 * 60 },
  get address(): LimitRule {
    return { name: "sign-in:address", points: env().ATELIER_SIGN_INS_PER_ADDRESS, durationSeconds: 15 * 60 };
  },
  email: { name: "sign-in:email", points: 20, durationSeconds: 60 * 60 },
  emailSlowed: { name: "sign-in:email:slowed", points: 1, durationSeconds: 30 },
} satisfies Record<string, LimitRule>;

const KNOWN_ADDRESS_DAYS = 90;

export type SignInGate = { ok: true; known: boolean } | { ok: false; retryAfterSeconds: number; limit: keyof typeof SIGN_IN_RULES };

/** Whether this account signed in successfully from this address recently (its audit trail says so). */
async function isKnownAddress(userId: string | null, address: string): Promise<boolean> {
  if (address === "unknown") return false;
  const since = new Date(Date.now() - KNOWN_ADDRESS_DAYS * 24 * 3600 * 1000);
  return signedInFromSince(userId, address, since);
}

/** Counts one attempt for (email, address) and says whether the password may be checked. */
export async function admitSignInAttempt(email: string, address: string, userId: string | null): Promise<SignInGate> {
  const pair = `${email}|${address}`;
  const byPair = await consume(SIGN_IN_RULES.emailAddress, pair);
  if (!byPair.ok) return { ok: false, retryAfterSeconds: byPair.retryAfterSeconds, limit: "emailAddress" };
  const byAddress = await consume(SIGN_IN_RULES.address, address);
  if (!byAddress.ok) return { ok: false, retryAfterSeconds: byAddress.retryAfterSeconds, limit: "address" };
  const known = await isKnownAddress(userId, address);
  if (!known) {
    const emailWide = await peek(SIGN_IN_RULES.email, email);
    if (!emailWide.ok) {
      const slowed = await consume(SIGN_IN_RULES.emailSlowed, email);
      if (!slowed.ok) return { ok: false, retryAfterSeconds: slowed.retryAfterSeconds, limit: "emailSlowed" };
    }
  }
  await consume(SIGN_IN_RULES.email, email);
  return { ok: true, known };
}

/** A correct password: the pair starts afresh and the attempt is given back to the wider counts. */
export async function settleSuccessfulSignIn(email: string, address: string): Promise<void> {
  await Promise.all([
    reset(SIGN_IN_RULES.emailAddress, `${email}|${address}`),
    refund(SIGN_IN_RULES.address, address),
    refund(SIGN_IN_RULES.email, email),
  ]);
}

