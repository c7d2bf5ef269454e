import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { enabledOAuthProviders } from "@/lib/auth/auth";
import { retryAfterFromCode } from "@/lib/auth/credentials";
import { tryAgainIn } from "@/lib/limits/wait-message";
import { getCurrentUser } from "@/lib/auth/viewer";
import { safeNextPath } from "@/lib/validation/auth";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const params = await searchParams;
  const next = safeNextPath(params.next) ?? undefined;
  if (await getCurrentUser()) redirect(next ?? "/");
  // Auth.js's own routes come back here with ?error=…&code=… (a rate-limited code carries the wait).
  const wait = params.error === "CredentialsSignin" ? retryAfterFromCode(params.code) : null;
  const notice =
    params.signedOut === "1"
      ? "You're signed out."
      : wait !== null
        ? `Too many sign-in attempts. ${tryAgainIn(wait)}`
        : typeof params.error === "string"
          ? params.error === "AccessDenied"
            ? "That account can't sign in here."
            : params.error === "CredentialsSignin"
              ? "That email and password don't match an account. Check them and try again."
              : "Sign-in didn't complete. Try again."
          : null;
  return (
    <div className="space-y-6">
      <div className="space-y-1.5">
        <h1 className="text-2xl font-semibold tracking-tight">Welcome back</h1>
        <p className="text-sm text-muted">Sign in to your studio.</p>
      </div>
      <SignInForm next={next} notice={notice} providers={enabledOAuthProviders()} />
      <p className="text-sm text-muted">
        New to Atelier?{" "}
        <Link href={next ? `/sign-up?next=${encodeURIComponent(next)}` : "/sign-up"} className="font-medium text-accent hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
