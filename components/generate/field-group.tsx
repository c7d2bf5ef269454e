import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/**
 * Label, control, hint and error for a control that isn't a single input (radio groups, pickers, sliders): the
 * label names the group by id, and the error or hint describes it.
 */
export function FieldGroup({
  id,
  label,
  hint,
  error,
  trailing,
  optional,
  children,
  className,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  trailing?: ReactNode;
  optional?: boolean;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div
      role="group"
      aria-labelledby={`${id}-label`}
      aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
      className={cn("space-y-2", className)}
    >
      <div className="flex min-h-5 items-baseline justify-between gap-2">
        <span id={`${id}-label`} className="text-[13px] font-medium text-ink">
          {label}
          {optional ? <span className="ml-1.5 font-normal text-muted">Optional</span> : null}
        </span>
        {trailing}
      </div>
      {children}
      <FieldMessage id={id} error={error} hint={hint} />
    </div>
  );
}

export function FieldMessage({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  if (error) {
    return (
      <p id={`${id}-error`} className="text-[13px] text-danger">
        {error}
      </p>
    );
  }
  if (hint) {
    return (
      <p id={`${id}-hint`} className="text-[13px] text-muted">
        {hint}
      </p>
    );
  }
  return null;
}
