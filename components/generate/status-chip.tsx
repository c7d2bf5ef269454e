import { Ban, Check, X } from "lucide-react";
import type { GenerationStatusDTO } from "@/lib/generations/types";
import { cn } from "@/lib/cn";
import { isActiveStatus, statusLabel } from "@/lib/generations-client/generation-status";

const tones: Record<GenerationStatusDTO, string> = {
  PREPARING: "bg-surface-2 text-muted",
  QUEUED: "bg-surface-2 text-muted",
  SUBMITTING: "bg-accent-soft text-accent",
  RECONCILING: "bg-accent-soft text-accent",
  RUNNING: "bg-accent-soft text-accent",
  SUCCEEDED: "bg-success/10 text-success",
  FAILED: "bg-danger-soft text-danger",
  REFUSED: "bg-danger-soft text-danger",
  CANCELLING: "bg-surface-2 text-muted",
  CANCELLED: "bg-surface-2 text-muted",
};

export function StatusChip({ status, className }: { status: GenerationStatusDTO; className?: string }) {
  const active = isActiveStatus(status);
  return (
    <span
      data-status={status}
      className={cn("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-[11px] font-semibold whitespace-nowrap", tones[status], className)}
    >
      {active ? (
        <span className="relative flex size-1.5" aria-hidden="true">
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-current opacity-60" />
          <span className="relative inline-flex size-1.5 rounded-full bg-current" />
        </span>
      ) : status === "SUCCEEDED" ? (
        <Check className="size-3" aria-hidden="true" />
      ) : status === "REFUSED" || status === "CANCELLED" ? (
        <Ban className="size-3" aria-hidden="true" />
      ) : (
        <X className="size-3" aria-hidden="true" />
      )}
      {statusLabel[status]}
    </span>
  );
}
