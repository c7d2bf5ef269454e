"use client";

import { RadioGroup } from "radix-ui";
import { cn } from "@/lib/cn";

/** Aspect ratios as the shapes they make; a radio group. */
export function AspectRatioPicker<T extends string>({
  id,
  value,
  options,
  onChange,
  invalid,
}: {
  id: string;
  value: T | null;
  options: readonly T[];
  onChange: (value: T) => void;
  invalid?: boolean;
}) {
  return (
    <RadioGroup.Root
      id={id}
      value={value ?? ""}
      onValueChange={(next) => onChange(next as T)}
      aria-labelledby={`${id}-label`}
      aria-invalid={invalid || undefined}
      orientation="horizontal"
      className="grid gap-1.5"
      style={{ gridTemplateColumns: `repeat(${Math.min(options.length, 6)}, minmax(0, 1fr))` }}
    >
      {options.map((ratio) => {
        const [w, h] = ratio.split(":").map(Number) as [number, number];
        const box = 22;
        const width = w >= h ? box : (box * w) / h;
        const height = h >= w ? box : (box * h) / w;
        return (
          <RadioGroup.Item
            key={ratio}
            value={ratio}
            aria-label={`${ratio}${w === h ? " square" : w > h ? " landscape" : " portrait"}`}
            className={cn(
              "group flex flex-col items-center gap-1.5 rounded-xl border bg-surface px-1 pt-2.5 pb-1.5 text-[11px] font-medium text-muted transition-colors",
              "hover:border-ink/20 hover:text-ink data-[state=checked]:border-accent data-[state=checked]:bg-accent-soft data-[state=checked]:text-accent",
              invalid ? "border-danger" : "border-line",
            )}
          >
            <span className="grid size-6 place-items-center" aria-hidden="true">
              <span
                className="rounded-[3px] border-[1.5px] border-current opacity-70 group-data-[state=checked]:bg-accent/15 group-data-[state=checked]:opacity-100"
                style={{ width, height }}
              />
            </span>
            {ratio}
          </RadioGroup.Item>
        );
      })}
    </RadioGroup.Root>
  );
}
