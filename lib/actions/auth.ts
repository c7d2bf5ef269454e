"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { enabledOAuthProviders, signIn, signOut } from "@/lib/auth/auth";
import { retryAfterFromCode } from "@/lib/auth/credentials";
import { tryAgainIn } from "@/lib/limits/wait-message";
import { publicAction, userAction } from "@/lib/actions/action-client";
import { recordDenial } from "@/lib/data/denials";
import { typedEmail } from "@/lib/audit/sign-in";
import { createUserWithPassword, findUserForSignIn } from "@/lib/data/users";
import { getHomePath } from "@/lib/data/workspaces";
import { acceptInvitation, getInvitationPreview } from "@/lib/data/invitations";
import { env } from "@/lib/env";
import { clientAddressFrom } from "@/lib/http/client-address";
import { consume, refund } from "@/lib/limits/rate-limiter";
import { fail } from "@/lib/result";
import { workspaceHomePath } from "@/lib/authz";
import { safeNextPath, signInSchema, signUpSchema } from "@/lib/validation/auth";

const WRONG_CREDENTIALS = "That email and password don't match an account. Check them and try again.";

/** New accounts per network address per hour: ATELIER_SIGNUPS_PER_HOUR (default 30). */
const signUpRule = () => ({ name: "sign-up:address", points: env().ATELIER_SIGNUPS_PER_HOUR, durationSeconds: 60 * 60 });

// The sign-in limits are not here: they live where the password is checked (lib/auth/credentials.ts), so a POST
// straight to Auth.js's callback route counts exactly like this form.
export const signInAction = publicAction(
  "signIn",
  signInSchema.extend({ next: z.string().max(500).optional() }),
  async ({ input }) => {
    try {
      await signIn("credentials", { email: input.email, password: input.password, redirect: false });
    } catch (error) {
      if (error instanceof AuthError && error.type === "CredentialsSignin") {
        const wait = retryAfterFromCode((error as AuthError & { code?: string }).code);
        // The same answers whether or not the email has an account: the limits are keyed on what was typed.
        if (wait !== null) return fail(`Too many sign-in attempts. ${tryAgainIn(wait)}`, { code: "rate_limited" });
        return fail(WRONG_CREDENTIALS, { code: "invalid_input" });
      }
      throw error;
    }
    // Straight to the person's start page when nothing asked for another: "/" would redirect twice more, with the
    // studio's shell showing an empty main area meanwhile.
    const next = safeNextPath(input.next);
    const account = next ? null : await findUserForSignIn(input.email);
    redirect(next ?? (account ? await getHomePath(account.id) : "/"));
  },
);

export const signUpAction = publicAction("signUp", signUpSchema, async ({ input }) => {
  const invite = input.invite ? await getInvitationPreview(input.invite) : null;
  if (input.invite && invite?.status !== "valid") {
    return fail("This invite link can't be used any more. Ask for a new one, or sign up without it.", { code: "conflict" });
  }
  if (env().ATELIER_SIGNUP === "invite-only" && !invite) {
    return fail("Sign-up on this server is by invitation only. Ask a workspace admin for an invite link.", { code: "forbidden" });
  }
  // Counted before the account is made (atomically, so parallel sign-ups can't overshoot); given back if it isn't.
  const address = clientAddressFrom(await headers());
  const admitted = await consume(signUpRule(), address);
  if (!admitted.ok) {
    // An account-level refusal (no workspace, nobody signed in): recorded with the email as typed.
    await recordDenial({ kind: "rate_limited", workspaceId: null, actorId: null, actorEmail: typedEmail(input.email), what: "signUp", details: { limit: "sign-up:address" } });
    return fail(`Too many accounts were created from this network recently. ${tryAgainIn(admitted.retryAfterSeconds)}`, { code: "rate_limited" });
  }
  const { user, workspace } = await createUserWithPassword(input).catch(async (error: unknown) => {
    await refund(signUpRule(), address);
    throw error;
  });
  // Straight to the start page /w/<slug> would redirect to: through that second redirect the studio's shell showed an
  // empty main area until the browser had followed it.
  let destination = workspaceHomePath(workspace.slug, "OWNER");
  if (input.invite && invite) {
    const joined = await acceptInvitation(user.id, input.invite).catch(() => null);
    if (joined) destination = `${workspaceHomePath(joined.slug, invite.role)}?joined=1`;
  }
  await signIn("credentials", { email: input.email, password: input.password, redirect: false });
  redirect(destination);
});

export const signInWithProviderAction = publicAction(
  "signInWithProvider",
  z.object({ provider: z.string().max(40), next: z.string().max(500).optional() }),
  async ({ input }) => {
    if (!enabledOAuthProviders().some((p) => p.id === input.provider)) {
      return fail("That sign-in method isn't enabled on this server.", { code: "invalid_input" });
    }
    await signIn(input.provider, { redirectTo: safeNextPath(input.next) ?? "/" });
    return fail("Sign-in did not start. Try again.");
  },
);

export const signOutAction = userAction("signOut", z.object({}), async () => {
  await signOut({ redirect: false });
  redirect("/sign-in?signedOut=1");
});
