"use client";

import { useState } from "react";
import { Dices, X } from "lucide-react";
import { cn } from "@/lib/cn";
import { FieldMessage } from "@/components/generate/field-group";

const MAX_SEED = 4_294_967_295;

/**
 * A seed, or empty for a new random one each run (null: the server chooses it and records it with the run). Dice pick
 * a fixed one to reproduce a result.
 */
export function SeedField({
  id,
  value,
  onChange,
  onBlur,
  error,
}: {
  id: string;
  value: number | null;
  onChange: (value: number | null) => void;
  onBlur?: () => void;
  error?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null || Number.isNaN(value) ? "" : String(value));
  return (
    <div className="space-y-2">
      <label htmlFor={id} className="text-[13px] font-medium">
        Seed
      </label>
      <div className="flex gap-2">
        <div className="relative min-w-0 flex-1">
          <input
            id={id}
            inputMode="numeric"
            autoComplete="off"
            placeholder="Random each run"
            value={shown}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-${error ? "error" : "hint"}`}
            onChange={(event) => {
              const text = event.target.value.trim();
              setDraft(event.target.value);
              onChange(text === "" ? null : /^\d+$/.test(text) ? Number(text) : Number.NaN);
            }}
            onBlur={() => {
              setDraft(null);
              onBlur?.();
            }}
            className={cn(
              "h-10 w-full rounded-xl border bg-surface pr-9 pl-3.5 font-mono text-sm tabular-nums shadow-xs placeholder:font-sans placeholder:text-muted",
              "focus:border-accent focus:ring-4 focus:ring-accent/15 focus:outline-none",
              error ? "border-danger" : "border-line",
            )}
          />
          {shown !== "" ? (
            <button
              type="button"
              aria-label="Use a random seed each run"
              onClick={() => {
                setDraft(null);
                onChange(null);
              }}
              className="absolute top-1/2 right-2 -translate-y-1/2 rounded-md p-1 text-muted hover:bg-surface-2 hover:text-ink"
            >
              <X className="size-3.5" />
            </button>
          ) : null}
        </div>
        <button
          type="button"
          onClick={() => {
            setDraft(null);
            onChange(Math.floor(Math.random() * MAX_SEED));
          }}
          className="inline-flex h-10 items-center gap-1.5 rounded-xl border border-line bg-surface px-3 text-[13px] font-medium hover:bg-surface-2"
        >
          <Dices className="size-4 text-muted" /> Pick
        </button>
      </div>
      <FieldMessage id={id} error={error} hint="Empty: a new seed each run, recorded with it. Set one to reproduce a result." />
    </div>
  );
}
