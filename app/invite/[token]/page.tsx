import type { Metadata } from "next";
import Link from "next/link";
import { Logo } from "@/components/logo";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/viewer";
import { roleDescription, roleLabel } from "@/lib/authz";
import { getInvitationPreview } from "@/lib/data/invitations";
import { AcceptInvitation } from "./accept-invitation";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: PageProps<"/invite/[token]">) {
  const { token } = await params;
  const [user, preview] = await Promise.all([getCurrentUser(), getInvitationPreview(token)]);
  const here = `/invite/${token}`;

  let body;
  if (!preview) {
    body = (
      <Message title="This invite link isn't valid" text="Check that you copied the whole link, or ask for a new one." />
    );
  } else if (preview.status !== "valid") {
    const reason = { expired: "has expired", used: "has already been used", revoked: "was revoked" }[preview.status];
    body = <Message title={`This invite link ${reason}`} text={`Ask someone in ${preview.workspaceName} for a new link.`} />;
  } else {
    body = (
      <div className="space-y-6">
        <div className="space-y-2">
          <p className="text-sm text-muted">{preview.invitedBy} invited you to</p>
          <h1 className="text-2xl font-semibold tracking-tight">{preview.workspaceName}</h1>
          <p className="text-sm text-muted">
            You&apos;ll join as <strong className="text-ink">{roleLabel[preview.role].toLowerCase()}</strong>:{" "}
            {roleDescription[preview.role].toLowerCase()}. The link expires {preview.expiresAt.toUTCString().slice(0, 16)}.
          </p>
        </div>
        {user ? (
          <AcceptInvitation token={token} email={user.email} />
        ) : (
          <div className="flex flex-col gap-2">
            <Button asChild size="lg">
              <Link href={`/sign-up?invite=${encodeURIComponent(token)}`}>Create an account to join</Link>
            </Button>
            <Button asChild variant="secondary" size="lg">
              <Link href={`/sign-in?next=${encodeURIComponent(here)}`}>I already have an account</Link>
            </Button>
          </div>
        )}
      </div>
    );
  }

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6">
      <div className="w-full max-w-md space-y-8 rounded-2xl border border-line bg-surface p-8 shadow-card">
        <Logo />
        {body}
      </div>
    </main>
  );
}

function Message({ title, text }: { title: string; text: string }) {
  return (
    <div className="space-y-2">
      <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
      <p className="text-sm text-muted">{text}</p>
      <Link href="/" className="inline-block pt-2 text-sm font-medium text-accent hover:underline">
        Go to your studio
      </Link>
    </div>
  );
}
