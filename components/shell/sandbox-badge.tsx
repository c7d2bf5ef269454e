import Link from "next/link";
import { ArrowRight, FlaskConical } from "lucide-react";
import { cn } from "@/lib/cn";

/**
 * Says, calmly, that this workspace's runs go to the built-in sandbox rather than a provider key, so nobody mistakes
 * simulated results for real ones (or wonders why nothing is charged). Admins get a way to Settings → Providers.
 * `providers` are the display names of the sandboxed providers; the shell shows nothing when there are none.
 */
export function SandboxBadge({
  slug,
  providers,
  canManage,
  variant,
}: {
  slug: string;
  providers: string[];
  canManage: boolean;
  variant: "sidebar" | "compact";
}) {
  if (providers.length === 0) return null;
  const sentence = sandboxSentence(providers);
  const href = `/w/${slug}/settings/providers`;

  if (variant === "compact") {
    const pill = cn(
      "inline-flex h-7 shrink-0 items-center gap-1 rounded-full bg-accent-soft px-2 text-[12px] font-medium text-accent",
      canManage && "hover:bg-accent-soft/70",
    );
    const body = (
      <>
        {/* On a phone the word alone: the workspace's name beside it needs the room more than the icon does. */}
        <FlaskConical className="hidden size-3.5 sm:block" aria-hidden="true" />
        Sandbox
      </>
    );
    return canManage ? (
      <Link href={href} className={pill} title={`${sentence} Connect a key in Settings → Providers.`} aria-label={`Sandbox: ${sentence} Open Settings → Providers.`} data-testid="sandbox-badge">
        {body}
      </Link>
    ) : (
      <span className={pill} title={sentence} role="note" aria-label={`Sandbox: ${sentence}`} data-testid="sandbox-badge">
        {body}
      </span>
    );
  }

  return (
    <div role="note" aria-label="Sandbox" className="rounded-xl bg-accent-soft/60 px-3 py-2.5 text-[12px] leading-snug text-ink" data-testid="sandbox-badge">
      <p className="flex items-center gap-1.5 font-semibold text-accent">
        <FlaskConical className="size-3.5" aria-hidden="true" />
        Sandbox
      </p>
      <p className="mt-1 text-muted">{sentence}</p>
      {canManage ? (
        <Link href={href} className="mt-1.5 inline-flex items-center gap-1 font-medium text-accent hover:underline">
          Connect a key <ArrowRight className="size-3" aria-hidden="true" />
        </Link>
      ) : null}
    </div>
  );
}

function sandboxSentence(providers: string[]): string {
  // Both providers (the usual case in a fresh install) read as "runs"; one of two is named, since the other is real.
  const who = providers.length > 1 ? "Runs" : `${providers[0]} runs`;
  return `${who} here are simulated by the built-in sandbox and cost nothing.`;
}
