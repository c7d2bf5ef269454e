"use client";

import Link from "next/link";
import { Plus, RotateCcw, UserRound } from "lucide-react";
import { RadioGroup } from "radix-ui";
import type { CatalogDTO } from "@/lib/generations/types";
import { CHARACTER_MODES } from "@/lib/validation/generations";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { FieldGroup, FieldMessage } from "@/components/generate/field-group";
import { ToggleSection } from "@/components/generate/form-section";
import { MediaImage } from "@/components/generate/media-image";
import { SegmentedControl } from "@/components/generate/segmented-control";

export type CharacterMode = (typeof CHARACTER_MODES)[number];
export type CharacterDraft = { enabled: boolean; id: string; name: string; mode: CharacterMode };

const MODE_INFO: Record<CharacterMode, { label: string; description: string }> = {
  flexible: { label: "Flexible", description: "For stylised characters and looser images." },
  balanced: { label: "Balanced", description: "For realistic images." },
  strong: { label: "Strong", description: "Likeness above everything." },
};

/** A character (the provider's system ones and the account's own), its mode, and the {Name} token for the prompt. */
export function CharacterSection({
  characters,
  loading,
  loadError,
  onRetry,
  value,
  onChange,
  promptHasToken,
  onInsertToken,
  errorFor,
  createHref,
}: {
  characters: CatalogDTO["characters"] | undefined;
  loading: boolean;
  loadError: string | null;
  onRetry: () => void;
  value: CharacterDraft;
  onChange: (patch: Partial<CharacterDraft>) => void;
  promptHasToken: boolean;
  onInsertToken: () => void;
  errorFor: (path: string) => string | undefined;
  /** Where to make a new character (the Assets page's Characters tab). */
  createHref?: string;
}) {
  const own = characters?.filter((c) => !c.system) ?? [];
  const system = characters?.filter((c) => c.system) ?? [];
  const idError = errorFor("character.id") ?? errorFor("character");
  return (
    <ToggleSection
      id="character"
      title="Character"
      description="Keep one person consistent across images."
      checked={value.enabled}
      onCheckedChange={(enabled) => onChange({ enabled })}
    >
      {loading ? (
        <div className="grid grid-cols-4 gap-2">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="aspect-square" />
          ))}
        </div>
      ) : loadError ? (
        <div role="alert" className="flex items-center gap-2 text-[13px] text-danger">
          <span className="flex-1">Couldn&apos;t load characters.</span>
          <Button size="sm" variant="secondary" onClick={onRetry}>
            <RotateCcw /> Retry
          </Button>
        </div>
      ) : characters && characters.length > 0 ? (
        <div className="space-y-2">
          <span id="character.id-label" className="text-[13px] font-medium">
            Who
          </span>
          <RadioGroup.Root
            id="character.id"
            aria-labelledby="character.id-label"
            value={value.id}
            onValueChange={(id) => {
              const found = characters.find((c) => c.id === id);
              if (found) onChange({ id: found.id, name: found.name });
            }}
            className="space-y-3"
          >
            {own.length > 0 ? <CharacterGrid title="Yours" list={own} selected={value.id} /> : null}
            {system.length > 0 ? <CharacterGrid title="Ready-made" list={system} selected={value.id} /> : null}
          </RadioGroup.Root>
          <FieldMessage id="character.id" error={idError} />
          {createHref ? (
            <Link href={createHref} className="inline-flex items-center gap-1 text-[12px] font-medium text-accent hover:underline">
              <Plus className="size-3.5" aria-hidden="true" /> New character from an image
            </Link>
          ) : null}
        </div>
      ) : (
        <p className="text-[13px] text-muted">
          This account has no characters yet.
          {createHref ? (
            <>
              {" "}
              <Link href={createHref} className="font-medium text-accent hover:underline">
                Create one from an image
              </Link>
              .
            </>
          ) : null}
        </p>
      )}
      {value.id ? (
        <>
          <FieldGroup id="character.mode" label="Likeness" hint={MODE_INFO[value.mode].description} error={errorFor("character.mode")}>
            <SegmentedControl
              id="character.mode"
              size="sm"
              value={value.mode}
              onChange={(mode) => onChange({ mode })}
              options={CHARACTER_MODES.map((m) => ({ value: m, label: MODE_INFO[m].label }))}
            />
          </FieldGroup>
          <div className="flex items-center gap-3 rounded-xl bg-surface-2/70 px-3 py-2.5">
            <p className="min-w-0 flex-1 text-[12px] text-muted">
              {promptHasToken ? (
                <>
                  <span className="font-mono text-ink">{`{${value.name}}`}</span> is in the prompt.
                </>
              ) : (
                <>
                  Put <span className="font-mono text-ink">{`{${value.name}}`}</span> in the prompt where {value.name} appears.
                </>
              )}
            </p>
            <Button size="sm" variant="secondary" onClick={onInsertToken}>
              <UserRound /> Insert
            </Button>
          </div>
        </>
      ) : null}
    </ToggleSection>
  );
}

function CharacterGrid({ title, list, selected }: { title: string; list: CatalogDTO["characters"]; selected: string }) {
  return (
    <div className="space-y-1.5">
      <p className="text-[11px] font-semibold tracking-wider text-muted uppercase">{title}</p>
      <div className="grid grid-cols-4 gap-2">
        {list.map((c) => (
          <RadioGroup.Item
            key={c.id}
            value={c.id}
            className={cn(
              "group overflow-hidden rounded-xl border bg-surface text-center transition",
              selected === c.id ? "border-accent ring-2 ring-accent" : "border-line hover:border-ink/25",
            )}
          >
            <span className="relative grid aspect-square place-items-center bg-surface-2 text-muted">
              <UserRound className="size-5" aria-hidden="true" />
              {c.thumbnail ? <MediaImage src={c.thumbnail} alt="" className="absolute inset-0 size-full object-cover" onError={(e) => (e.currentTarget.style.display = "none")} /> : null}
            </span>
            <span className="line-clamp-2 px-1 py-1 text-[11px] leading-tight font-medium break-words" title={c.name}>
              {c.name}
            </span>
          </RadioGroup.Item>
        ))}
      </div>
    </div>
  );
}
