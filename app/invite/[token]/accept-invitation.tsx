"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { acceptInvitationAction } from "@/lib/actions/invitations";

export function AcceptInvitation({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Button
        size="lg"
        className="w-full"
        loading={pending}
        onClick={() =>
          start(async () => {
            const result = await acceptInvitationAction({ token });
            if (result.ok) router.push(`/w/${result.data.slug}${result.data.alreadyMember ? "" : "?joined=1"}`);
            else setError(result.error);
          })
        }
      >
        Join workspace
      </Button>
      <p className="text-center text-xs text-muted">Signed in as {email}</p>
    </div>
  );
}
