"use client";

import { useEffect } from "react";
import { RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";

/** The one error boundary body every segment's error.tsx delegates to. */
export function ErrorView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-4 px-6 py-20 text-center">
      <div className="rounded-full bg-danger-soft p-3 text-danger">
        <RotateCcw className="size-5" />
      </div>
      <div className="space-y-1.5">
        <h2 className="text-lg font-semibold">Something went wrong</h2>
        <p className="text-sm text-muted">
          This part of the page failed to load. Your work is saved; try again.
          {error.digest ? <span className="mt-1 block font-mono text-xs">Reference {error.digest}</span> : null}
        </p>
      </div>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
