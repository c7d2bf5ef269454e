import "server-only";
import { recordFailedSignIn, typedEmail } from "@/lib/audit/sign-in";
import { verifyPassword } from "@/lib/auth/passwords";
import { db } from "@/lib/db";
import { signInSchema } from "@/lib/validation/auth";

/**
 * The credentials check behind Auth.js's `authorize`: the account for an email and password, or null. Every refusal
 * looks and costs the same to the caller (a password hash is verified, one audit entry is written), whether the
 * email has an account or not; only the audit entry says why.
 */
export async function authorizeCredentials(raw: unknown): Promise<{ id: string; email: string; name: string | null } | null> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) {
    const email = raw && typeof raw === "object" && "email" in raw ? typedEmail(raw.email) : null;
    await recordFailedSignIn({ email, user: null }, "invalid_input");
    return null;
  }
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
  });
  const valid = await verifyPassword(user?.passwordHash, parsed.data.password);
  if (!user || !valid || user.disabledAt) {
    const reason = !user ? "unknown_email" : !user.passwordHash ? "no_password" : !valid ? "wrong_password" : "account_disabled";
    await recordFailedSignIn({ email: parsed.data.email, user: user && { id: user.id, email: user.email } }, reason);
    return null;
  }
  return { id: user.id, email: user.email, name: user.name };
}
