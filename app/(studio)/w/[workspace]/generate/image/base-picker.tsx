"use client";

import { useMemo, useState } from "react";
import { ChevronsUpDown, RotateCcw, Search } from "lucide-react";
import { Tabs } from "radix-ui";
import type { CatalogDTO, CatalogEntryDTO } from "@/lib/generations/types";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { FieldMessage } from "@/components/generate/field-group";
import { MediaImage } from "@/components/generate/media-image";
import { baseFromEntry, baseModelLabel, sameBase, type Base } from "./base-model";

type Tab = "models" | "styles" | "fluxStyles";
const TABS: { value: Tab; label: string; kind: Base["kind"] }[] = [
  { value: "models", label: "Models", kind: "model" },
  { value: "styles", label: "Styles", kind: "style" },
  { value: "fluxStyles", label: "Flux styles", kind: "style" },
];

/** Model or style for Image: a card showing the choice, and a dialog to browse the catalogue's three lists. */
export function BasePicker({
  catalog,
  loading,
  loadError,
  onRetry,
  value,
  onChange,
  error,
}: {
  catalog: CatalogDTO | undefined;
  loading: boolean;
  loadError: string | null;
  onRetry: () => void;
  value: Base | null;
  onChange: (base: Base) => void;
  error?: string;
}) {
  const [open, setOpen] = useState(false);
  const entry = useMemo(() => findEntry(catalog, value), [catalog, value]);

  return (
    <div className="space-y-2">
      <span id="base-label" className="text-[13px] font-medium">
        Model or style
      </span>
      {loading ? (
        <Skeleton className="h-[68px] rounded-2xl" />
      ) : loadError && !value ? (
        <div role="alert" className="flex items-center gap-3 rounded-2xl border border-danger/30 bg-danger-soft px-3.5 py-3 text-[13px] text-danger">
          <p className="min-w-0 flex-1">Couldn&apos;t load the models and styles. {loadError}</p>
          <Button size="sm" variant="secondary" onClick={onRetry}>
            <RotateCcw /> Retry
          </Button>
        </div>
      ) : (
        <button
          id="base"
          type="button"
          aria-labelledby="base-label base"
          aria-describedby={error ? "base-error" : undefined}
          aria-haspopup="dialog"
          onClick={() => setOpen(true)}
          className={cn(
            "flex w-full items-center gap-3 rounded-2xl border bg-surface p-2.5 text-left shadow-xs transition-colors hover:bg-surface-2/60",
            error ? "border-danger" : "border-line",
          )}
        >
          <Thumb entry={entry} name={value?.name ?? "?"} className="size-12" />
          <span className="min-w-0 flex-1">
            {/* Catalogue names run long ("Juggernaut XL v9 + RunDiffusionPhoto 2"): two lines before they are cut. */}
            <span className="line-clamp-2 text-sm leading-snug font-semibold break-words" title={value?.name}>
              {value?.name ?? "Choose a model or style"}
            </span>
            <span className="block truncate text-[12px] text-muted">
              {value ? `${value.kind === "model" ? "Model" : "Style"}${value.baseModel ? ` · ${baseModelLabel(value.baseModel)}` : ""}` : "SD 1.5, SDXL or Flux"}
            </span>
          </span>
          <ChevronsUpDown className="size-4 shrink-0 text-muted" aria-hidden="true" />
        </button>
      )}
      <FieldMessage id="base" error={error} />
      {catalog ? (
        <Dialog open={open} onOpenChange={setOpen}>
          <DialogContent title="Model or style" description="Flux takes fewer settings; SD 1.5 and SDXL take LoRAs and the finer controls." className="max-w-3xl">
            <BaseBrowser
              catalog={catalog}
              value={value}
              onPick={(base) => {
                onChange(base);
                setOpen(false);
              }}
            />
          </DialogContent>
        </Dialog>
      ) : null}
    </div>
  );
}

function BaseBrowser({ catalog, value, onPick }: { catalog: CatalogDTO; value: Base | null; onPick: (base: Base) => void }) {
  const initial: Tab = value?.kind === "style" ? (value.baseModel?.toLowerCase() === "flux" ? "fluxStyles" : "styles") : "models";
  const [tab, setTab] = useState<Tab>(initial);
  const [query, setQuery] = useState("");
  const needle = query.trim().toLowerCase();
  return (
    <Tabs.Root value={tab} onValueChange={(v) => setTab(v as Tab)}>
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <Tabs.List aria-label="Catalogue" className="inline-flex gap-1 rounded-xl bg-surface-2 p-1">
          {TABS.map((t) => (
            <Tabs.Trigger
              key={t.value}
              value={t.value}
              className="h-8 rounded-lg px-3 text-[13px] font-medium text-muted data-[state=active]:bg-surface data-[state=active]:text-ink data-[state=active]:shadow-sm"
            >
              {t.label} <span className="text-[11px] text-muted tabular-nums">{catalog[t.value].length}</span>
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <div className="relative min-w-40 flex-1">
          <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted" aria-hidden="true" />
          <Input aria-label="Search" placeholder="Search" value={query} onChange={(e) => setQuery(e.target.value)} className="h-9 pl-9" />
        </div>
      </div>
      {TABS.map((t) => {
        const entries = catalog[t.value].filter((e) => !needle || e.name.toLowerCase().includes(needle) || baseModelLabel(e.baseModel).toLowerCase().includes(needle));
        return (
          <Tabs.Content key={t.value} value={t.value} className="focus-visible:outline-none">
            {entries.length === 0 ? (
              <p className="rounded-2xl border border-dashed border-line px-6 py-10 text-center text-[13px] text-muted">
                {needle ? `Nothing matches “${query.trim()}”.` : `This account has no ${t.label.toLowerCase()}.`}
              </p>
            ) : (
              // The padding keeps the selected tile's ring (drawn outside its border) inside the scrolling box, top row included.
              <ul className="-mx-1 grid max-h-[min(60vh,520px)] grid-cols-2 gap-2 overflow-y-auto px-1 pt-1 pb-1 sm:grid-cols-3 md:grid-cols-4">
                {entries.map((e) => {
                  const base = baseFromEntry(t.kind, e);
                  const selected = sameBase(base, value);
                  return (
                    <li key={`${e.name}:${e.baseModel ?? ""}`}>
                      <button
                        type="button"
                        aria-pressed={selected}
                        onClick={() => onPick(base)}
                        title={e.name}
                        className={cn(
                          "group w-full overflow-hidden rounded-xl border bg-surface text-left transition",
                          selected ? "border-accent ring-2 ring-accent" : "border-line hover:border-ink/25",
                        )}
                      >
                        <Thumb entry={e} name={e.name} className="aspect-[4/3] w-full rounded-none" />
                        {/* The name has the tile's whole width (the base model goes under it), two lines before it is cut. */}
                        <span className="block px-2.5 py-2">
                          <span className="line-clamp-2 text-[13px] leading-snug font-medium break-words">{e.name}</span>
                          {e.baseModel ? (
                            <span className="mt-1 inline-block rounded-full bg-surface-2 px-1.5 py-0.5 text-[10px] font-semibold text-muted">{baseModelLabel(e.baseModel)}</span>
                          ) : null}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </Tabs.Content>
        );
      })}
    </Tabs.Root>
  );
}

function Thumb({ entry, name, className }: { entry: CatalogEntryDTO | null; name: string; className?: string }) {
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 11);
  return (
    <span
      className={cn("relative grid shrink-0 place-items-center overflow-hidden rounded-xl text-lg font-semibold text-white", className)}
      style={{ background: `linear-gradient(135deg, hsl(${hue} 60% 55%), hsl(${(hue + 50) % 360} 60% 40%))` }}
      aria-hidden="true"
    >
      {name.slice(0, 1).toUpperCase()}
      {entry?.thumbnail ? <MediaImage src={entry.thumbnail} alt="" className="absolute inset-0 size-full object-cover" onError={(e) => (e.currentTarget.style.display = "none")} /> : null}
    </span>
  );
}

function findEntry(catalog: CatalogDTO | undefined, value: Base | null): CatalogEntryDTO | null {
  if (!catalog || !value) return null;
  const lists = value.kind === "model" ? [catalog.models] : [catalog.styles, catalog.fluxStyles];
  for (const list of lists) {
    const found = list.find((e) => sameBase(baseFromEntry(value.kind, e), value));
    if (found) return found;
  }
  return null;
}
