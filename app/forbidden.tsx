import Link from "next/link";
import { LogoMark } from "@/components/logo";
import { Button } from "@/components/ui/button";

/**
 * What forbidden() shows (status 403): a member of the workspace whose role does not reach this page (a viewer on
 * the audit log). Only members get here: someone outside the workspace gets the 404 of a page that does not exist,
 * so this page never tells a stranger that the workspace is there.
 */
export default function Forbidden() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-5 px-6 text-center">
      <LogoMark className="size-10" />
      <div className="space-y-2">
        <p className="text-sm font-medium text-accent">403</p>
        <h1 className="text-2xl font-semibold tracking-tight">You don&apos;t have access to this page</h1>
        <p className="max-w-sm text-sm text-muted">Your role in this workspace doesn&apos;t include it. An owner or admin can change your role.</p>
      </div>
      <Button asChild variant="secondary">
        <Link href="/">Back to your studio</Link>
      </Button>
    </main>
  );
}
