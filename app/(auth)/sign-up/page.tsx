import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/viewer";
import { getInvitationPreview } from "@/lib/data/invitations";
import { env } from "@/lib/env";
import { roleLabel } from "@/lib/authz";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const params = await searchParams;
  const invite = typeof params.invite === "string" ? params.invite : undefined;
  // Encoded: the token goes into a Location header, which can't carry control characters or non-ASCII text.
  if (await getCurrentUser()) redirect(invite ? `/invite/${encodeURIComponent(invite)}` : "/");
  const preview = invite ? await getInvitationPreview(invite) : null;
  const validInvite = preview?.status === "valid" ? preview : null;
  const closed = env().ATELIER_SIGNUP === "invite-only" && !validInvite;

  return (
    <div className="space-y-6">
      <div className="space-y-1.5">
        <h1 className="text-2xl font-semibold tracking-tight">
          {validInvite ? `Join ${validInvite.workspaceName}` : "Create your studio"}
        </h1>
        <p className="text-sm text-muted">
          {validInvite
            ? `${validInvite.invitedBy} invited you as ${roleLabel[validInvite.role].toLowerCase()}. Create an account to accept.`
            : "A personal workspace is ready the moment you sign up."}
        </p>
      </div>
      {invite && !validInvite ? (
        <p className="rounded-xl border border-danger/30 bg-danger-soft px-3.5 py-2.5 text-[13px] text-danger">
          This invite link can&apos;t be used any more. Ask for a new one{closed ? "." : ", or sign up without it."}
        </p>
      ) : null}
      {closed ? (
        <p className="rounded-xl bg-surface-2 px-3.5 py-3 text-sm text-muted">
          Sign-up on this server is by invitation only. Ask a workspace admin for an invite link.
        </p>
      ) : (
        <SignUpForm invite={validInvite ? invite : undefined} />
      )}
      <p className="text-sm text-muted">
        Already have an account?{" "}
        <Link
          href={invite ? `/sign-in?next=${encodeURIComponent(`/invite/${invite}`)}` : "/sign-in"}
          className="font-medium text-accent hover:underline"
        >
          Sign in
        </Link>
      </p>
    </div>
  );
}
