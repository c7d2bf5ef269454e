"use client";

import { useState } from "react";
import { Slider } from "radix-ui";
import { cn } from "@/lib/cn";
import { FieldMessage } from "@/components/generate/field-group";
import { useFormDisabled } from "@/components/generate/form-disabled";

/**
 * A number with its range: a slider for feel and a box for exact values. The box accepts anything while typing and
 * hands the form every parsable number, so an out-of-range value gets the schema's inline error instead of being
 * silently clamped.
 */
export function SliderField({
  id,
  label,
  value,
  min,
  max,
  step,
  onChange,
  onBlur,
  hint,
  error,
  decimals = 0,
  scale,
}: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (value: number) => void;
  onBlur?: () => void;
  hint?: string;
  error?: string;
  decimals?: number;
  /** Words under the ends of the track, e.g. ["Creative", "Literal"]. */
  scale?: [string, string];
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const disabled = useFormDisabled();
  const shown = draft ?? (Number.isFinite(value) ? value.toFixed(decimals) : "");
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between gap-3">
        <label id={`${id}-label`} htmlFor={id} className="text-[13px] font-medium">
          {label}
        </label>
        <input
          id={id}
          inputMode="decimal"
          value={shown}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          onChange={(event) => {
            setDraft(event.target.value);
            const next = Number(event.target.value.replace(",", "."));
            if (event.target.value.trim() !== "" && Number.isFinite(next)) onChange(next);
          }}
          onBlur={() => {
            setDraft(null);
            onBlur?.();
          }}
          onKeyDown={(event) => {
            if (event.key === "ArrowUp" || event.key === "ArrowDown") {
              event.preventDefault();
              const next = Math.min(max, Math.max(min, round(value + (event.key === "ArrowUp" ? step : -step), decimals)));
              setDraft(null);
              onChange(next);
            }
          }}
          className={cn(
            "h-8 w-16 rounded-lg border bg-surface px-2 text-right text-[13px] tabular-nums shadow-xs",
            "focus:border-accent focus:ring-4 focus:ring-accent/15 focus:outline-none",
            error ? "border-danger" : "border-line",
          )}
        />
      </div>
      <Slider.Root
        value={[Math.min(max, Math.max(min, Number.isFinite(value) ? value : min))]}
        min={min}
        max={max}
        step={step}
        onValueChange={([next]) => {
          setDraft(null);
          if (next !== undefined) onChange(round(next, decimals));
        }}
        onValueCommit={() => onBlur?.()}
        disabled={disabled}
        className="relative flex h-5 w-full touch-none items-center select-none data-[disabled]:opacity-50"
      >
        <Slider.Track className="relative h-1.5 grow overflow-hidden rounded-full bg-surface-2 ring-1 ring-line/60 ring-inset">
          <Slider.Range className="absolute h-full rounded-full bg-accent" />
        </Slider.Track>
        <Slider.Thumb
          aria-labelledby={`${id}-label`}
          className="block size-4 rounded-full border-2 border-accent bg-surface shadow-sm transition-transform hover:scale-110 focus-visible:ring-4 focus-visible:ring-accent/25 focus-visible:outline-none"
        />
      </Slider.Root>
      {scale ? (
        <div className="flex justify-between text-[11px] text-muted" aria-hidden="true">
          <span>{scale[0]}</span>
          <span>{scale[1]}</span>
        </div>
      ) : null}
      <FieldMessage id={id} error={error} hint={hint} />
    </div>
  );
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
