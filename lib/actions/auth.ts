"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { clientIp, enabledOAuthProviders, signIn, signOut } from "@/lib/auth";
import { clearHits, limits, recordHit, retryAfterSeconds } from "@/lib/auth/rate-limit";
import { publicAction, userAction } from "@/lib/actions/action-client";
import { recordDenial } from "@/lib/audit/denials";
import { typedEmail } from "@/lib/audit/sign-in";
import { createUserWithPassword } from "@/lib/data/users";
import { acceptInvitation, getInvitationPreview } from "@/lib/data/invitations";
import { env } from "@/lib/env";
import { fail } from "@/lib/result";
import { safeNextPath, signInSchema, signUpSchema } from "@/lib/validation/auth";

const WRONG_CREDENTIALS = "That email and password don't match an account. Check them and try again.";

function waitMessage(seconds: number) {
  const minutes = Math.ceil(seconds / 60);
  return `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export const signInAction = publicAction(
  "signIn",
  signInSchema.extend({ next: z.string().max(500).optional() }),
  async ({ input }) => {
    const ip = clientIp(await headers());
    const wait = Math.max(
      await retryAfterSeconds(limits.signInByEmail, input.email),
      await retryAfterSeconds(limits.signInByIp, ip),
    );
    // The same answer whether or not the email has an account: the limiter is keyed on what was typed.
    if (wait > 0) return fail(waitMessage(wait), { code: "rate_limited" });
    try {
      await signIn("credentials", { email: input.email, password: input.password, redirect: false });
    } catch (error) {
      if (error instanceof AuthError && error.type === "CredentialsSignin") {
        await recordHit(limits.signInByEmail, input.email);
        await recordHit(limits.signInByIp, ip);
        return fail(WRONG_CREDENTIALS, { code: "invalid_input" });
      }
      throw error;
    }
    await clearHits(limits.signInByEmail, input.email);
    redirect(safeNextPath(input.next) ?? "/");
  },
);

export const signUpAction = publicAction("signUp", signUpSchema, async ({ input }) => {
  const ip = clientIp(await headers());
  if ((await retryAfterSeconds(limits.signUpByIp, ip)) > 0) {
    // An account-level refusal (no workspace, nobody signed in): recorded with the email as typed.
    await recordDenial({ kind: "rate_limited", workspaceId: null, actorId: null, actorEmail: typedEmail(input.email), what: "signUp", details: { limit: "signUpByIp" } });
    return fail("Too many accounts were created from this network recently. Try again later.", { code: "rate_limited" });
  }
  const invite = input.invite ? await getInvitationPreview(input.invite) : null;
  if (input.invite && invite?.status !== "valid") {
    return fail("This invite link can't be used any more. Ask for a new one, or sign up without it.", { code: "conflict" });
  }
  if (env().ATELIER_SIGNUP === "invite-only" && !invite) {
    return fail("Sign-up on this server is by invitation only. Ask a workspace admin for an invite link.", { code: "forbidden" });
  }
  const { user, workspace } = await createUserWithPassword(input);
  await recordHit(limits.signUpByIp, ip);
  let destination = `/w/${workspace.slug}`;
  if (input.invite) {
    const joined = await acceptInvitation(user.id, input.invite).catch(() => null);
    if (joined) destination = `/w/${joined.slug}?joined=1`;
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
