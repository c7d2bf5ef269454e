"use client";

import { Plus, X } from "lucide-react";
import type { CatalogEntryDTO } from "@/lib/generations/types";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from "@/components/ui/lazy-dropdown-menu";
import { FieldMessage } from "@/components/generate/field-group";
import { SliderField } from "@/components/generate/slider-field";

export const MAX_LORAS = 5;
export type LoraChoice = { name: string; weight: number };

/** LoRAs of the chosen base model, each with its weight. */
export function LoraList({
  available,
  baseLabel,
  value,
  onChange,
  errorFor,
}: {
  available: CatalogEntryDTO[];
  baseLabel: string;
  value: LoraChoice[];
  onChange: (next: LoraChoice[]) => void;
  errorFor: (path: string) => string | undefined;
}) {
  const unused = available.filter((l) => !value.some((v) => v.name === l.name));
  const full = value.length >= MAX_LORAS;
  return (
    <div id="loras" tabIndex={-1} className="space-y-3 outline-none">
      <div className="flex items-center justify-between gap-2">
        <span className="text-[13px] font-medium">
          LoRAs <span className="font-normal text-muted">{value.length > 0 ? `${value.length} of ${MAX_LORAS}` : "Optional"}</span>
        </span>
        <DropdownMenu>
          <DropdownMenuTrigger
            disabled={full || unused.length === 0}
            className="inline-flex h-8 items-center gap-1.5 rounded-lg border border-line bg-surface px-2.5 text-[12px] font-medium hover:bg-surface-2 disabled:opacity-50"
          >
            <Plus className="size-3.5" /> Add LoRA
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end" className="max-h-72 overflow-y-auto">
            <DropdownMenuLabel>For {baseLabel}</DropdownMenuLabel>
            {unused.map((lora) => (
              <DropdownMenuItem key={lora.name} onSelect={() => onChange([...value, { name: lora.name, weight: 0.7 }])}>
                {lora.name}
              </DropdownMenuItem>
            ))}
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
      {value.length === 0 ? (
        <p className="text-[12px] text-muted">
          {available.length === 0 ? `This account has no LoRAs for ${baseLabel}.` : `Add up to ${MAX_LORAS} LoRAs made for ${baseLabel} to steer the look.`}
        </p>
      ) : (
        <ul className="space-y-2.5">
          {value.map((lora, index) => (
            <li key={lora.name} className="rounded-xl border border-line bg-surface p-3">
              <div className="mb-1 flex items-center justify-between gap-2">
                <span className="min-w-0 text-[13px] font-semibold break-words">{lora.name}</span>
                <button
                  type="button"
                  aria-label={`Remove ${lora.name}`}
                  onClick={() => onChange(value.filter((_, i) => i !== index))}
                  className="rounded-md p-1 text-muted hover:bg-surface-2 hover:text-ink"
                >
                  <X className="size-3.5" />
                </button>
              </div>
              <SliderField
                id={`loras.${index}.weight`}
                label="Weight"
                value={lora.weight}
                min={0.1}
                max={1}
                step={0.05}
                decimals={2}
                onChange={(weight) => onChange(value.map((l, i) => (i === index ? { ...l, weight } : l)))}
                error={errorFor(`loras.${index}.weight`)}
              />
            </li>
          ))}
        </ul>
      )}
      <FieldMessage id="loras" error={errorFor("loras")} />
    </div>
  );
}
