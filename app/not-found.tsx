import Link from "next/link";
import { LogoMark } from "@/components/logo";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-5 px-6 text-center">
      <LogoMark className="size-10" />
      <div className="space-y-2">
        <p className="text-sm font-medium text-accent">404</p>
        <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="max-w-sm text-sm text-muted">
          This page doesn&apos;t exist, or it belongs to a workspace you&apos;re not a member of.
        </p>
      </div>
      <Button asChild variant="secondary">
        <Link href="/">Back to your studio</Link>
      </Button>
    </main>
  );
}
