import type { Metadata } from "next";
import { Logo } from "@/components/logo";
import { requireUser } from "@/lib/auth/viewer";
import { NewWorkspaceForm } from "./new-workspace-form";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  await requireUser("/workspaces/new");
  return (
    <main className="flex min-h-dvh items-center justify-center px-6">
      <div className="w-full max-w-md space-y-6 rounded-2xl border border-line bg-surface p-8 shadow-card">
        <Logo />
        <div className="space-y-1.5">
          <h1 className="text-xl font-semibold tracking-tight">Create a workspace</h1>
          <p className="text-sm text-muted">You aren&apos;t in any workspace right now. Start one for your team.</p>
        </div>
        <NewWorkspaceForm />
      </div>
    </main>
  );
}
