"use client";

import type { ReactNode } from "react";
import { RadioGroup } from "radix-ui";
import { cn } from "@/lib/cn";

export type SegmentOption<T extends string | number> = { value: T; label: ReactNode; ariaLabel?: string; description?: string; disabled?: boolean };

/** A one-of-few choice as a row of segments: a radio group (arrow keys move between options). */
export function SegmentedControl<T extends string | number>({
  id,
  value,
  options,
  onChange,
  labelledBy,
  invalid,
  className,
  size = "md",
}: {
  id: string;
  value: T | null;
  options: readonly SegmentOption<T>[];
  onChange: (value: T) => void;
  labelledBy?: string;
  invalid?: boolean;
  className?: string;
  size?: "sm" | "md";
}) {
  return (
    <RadioGroup.Root
      id={id}
      value={value === null ? "" : String(value)}
      onValueChange={(next) => {
        const option = options.find((o) => String(o.value) === next);
        if (option) onChange(option.value);
      }}
      aria-labelledby={labelledBy ?? `${id}-label`}
      aria-invalid={invalid || undefined}
      orientation="horizontal"
      className={cn(
        "grid gap-1 rounded-xl border bg-surface-2 p-1",
        invalid ? "border-danger" : "border-line/60",
        className,
      )}
      style={{ gridTemplateColumns: `repeat(${options.length}, minmax(0, 1fr))` }}
    >
      {options.map((option) => (
        <RadioGroup.Item
          key={String(option.value)}
          value={String(option.value)}
          disabled={option.disabled}
          aria-label={option.ariaLabel}
          title={option.description}
          className={cn(
            "inline-flex min-w-0 items-center justify-center gap-1.5 rounded-lg px-2 font-medium whitespace-nowrap text-muted transition-colors",
            "hover:text-ink focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-accent",
            "disabled:pointer-events-none disabled:opacity-40 data-[state=checked]:bg-surface data-[state=checked]:text-ink data-[state=checked]:shadow-sm",
            "[&_svg]:size-4 [&_svg]:shrink-0",
            size === "sm" ? "h-7 text-[12px]" : "h-8 text-[13px]",
          )}
        >
          {option.label}
        </RadioGroup.Item>
      ))}
    </RadioGroup.Root>
  );
}
