"use client";

import { useEffect, useState } from "react";
import { Images, ListFilter, Search, Star, Trash2, X } from "lucide-react";
import { cn } from "@/lib/cn";
import type { GalleryFacetsDTO } from "@/lib/gallery/types";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { activeFilterCount, SEARCH_MAX, type GalleryFilters } from "@/lib/gallery/view-params";
import { TOOL_LIST, TOOLS_BY_ID } from "@/components/generate/tools";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PURGE_WARNING } from "./purge-warning";
import { DateRangeInputs, FilterSelect } from "@/components/ui/filter-controls";
import { Select } from "@/components/ui/input";
import { plural } from "@/lib/validation/text";

type Change = (change: Partial<GalleryFilters>, mode?: "push" | "replace") => void;

/** Search, sort, the gallery/trash switch, and every filter (folded behind a button on small screens). */
export function FilterBar({
  filters,
  facets,
  onChange,
  canEmptyTrash,
  onEmptyTrash,
  emptying,
}: {
  filters: GalleryFilters;
  facets: GalleryFacetsDTO;
  onChange: Change;
  canEmptyTrash: boolean;
  onEmptyTrash: () => void;
  emptying: boolean;
}) {
  const [showFilters, setShowFilters] = useState(false);
  const count = activeFilterCount(filters);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <div role="tablist" aria-label="Gallery or trash" className="flex rounded-xl border border-line bg-surface p-0.5">
          <ViewTab active={!filters.trash} onClick={() => onChange({ trash: false })} icon={Images} label="All items" />
          <ViewTab
            active={filters.trash}
            onClick={() => onChange({ trash: true, status: null, favorites: false })}
            icon={Trash2}
            label={facets.trashCount > 0 ? `Trash (${facets.trashCount.toLocaleString("en-US")})` : "Trash"}
          />
        </div>
        <SearchBox value={filters.q ?? ""} onSearch={(q) => onChange({ q: q || null }, "replace")} />
        {filters.trash ? null : (
          <Select
            aria-label="Sort"
            value={filters.sort}
            onChange={(event) => onChange({ sort: event.target.value as GalleryFilters["sort"] })}
            className="h-9 w-auto min-w-32 text-[13px]"
          >
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </Select>
        )}
        <Button
          variant={count > 0 ? "primary" : "secondary"}
          size="sm"
          className="h-9 md:hidden"
          aria-expanded={showFilters}
          onClick={() => setShowFilters((s) => !s)}
        >
          <ListFilter /> Filters{count > 0 ? ` (${count})` : ""}
        </Button>
        {filters.trash && canEmptyTrash && facets.trashCount > 0 ? <EmptyTrashButton count={facets.trashCount} onConfirm={onEmptyTrash} pending={emptying} /> : null}
      </div>

      <div className={cn("flex-wrap items-center gap-2", showFilters ? "flex" : "hidden md:flex")} aria-label="Filters" role="group">
        <FilterSelect className="w-auto max-w-52" label="Type" value={filters.kind ?? ""} onChange={(v) => onChange({ kind: (v || null) as GalleryFilters["kind"] })}>
          <option value="">Images and videos</option>
          <option value="image">Images</option>
          <option value="video">Videos</option>
        </FilterSelect>
        <FilterSelect className="w-auto max-w-52" label="Tool" value={filters.tool ?? ""} onChange={(v) => onChange({ tool: (v || null) as GalleryFilters["tool"] })}>
          <option value="">All tools</option>
          {TOOL_LIST.map((tool) => (
            <option key={tool.id} value={tool.id}>
              {tool.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect className="w-auto max-w-52" label="Model or style" value={filters.model ?? ""} onChange={(v) => onChange({ model: v || null })}>
          <option value="">All models and styles</option>
          {facets.models.map((group) => (
            <optgroup key={group.tool} label={TOOLS_BY_ID[group.tool].name}>
              {group.labels.map((label) => (
                <option key={label} value={label}>
                  {label}
                </option>
              ))}
            </optgroup>
          ))}
          {/* A link to a model no item uses any more (all deleted) still shows what it filters by. */}
          {filters.model && !facets.models.some((group) => group.labels.includes(filters.model!)) ? <option value={filters.model}>{filters.model}</option> : null}
        </FilterSelect>
        {filters.trash ? null : (
          <FilterSelect className="w-auto max-w-52" label="Status" value={filters.status ?? ""} onChange={(v) => onChange({ status: (v || null) as GalleryFilters["status"] })}>
            <option value="">Any status</option>
            <option value="ready">Ready</option>
            <option value="running">In progress</option>
            <option value="failed">Failed</option>
            <option value="refused">Refused</option>
          </FilterSelect>
        )}
        <FilterSelect className="w-auto max-w-52" label="Made by" value={filters.member ?? ""} onChange={(v) => onChange({ member: v || null })}>
          <option value="">Anyone</option>
          {facets.members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
          {filters.member && !facets.members.some((m) => m.id === filters.member) ? <option value={filters.member}>A former member</option> : null}
        </FilterSelect>
        <FilterSelect className="w-auto max-w-52" label="Board" value={filters.board ?? ""} onChange={(v) => onChange({ board: v || null })}>
          <option value="">Any board</option>
          <option value="none">Not in a board</option>
          {facets.boards.map((board) => (
            <option key={board.id} value={board.id}>
              {board.name}
            </option>
          ))}
          {filters.board && filters.board !== "none" && !facets.boards.some((b) => b.id === filters.board) ? (
            <option value={filters.board}>A deleted board</option>
          ) : null}
        </FilterSelect>
        <DateRangeInputs from={filters.from} to={filters.to} onChange={(from, to) => onChange({ from, to })} />
        {filters.trash ? null : (
          <button
            type="button"
            aria-pressed={filters.favorites}
            onClick={() => onChange({ favorites: !filters.favorites })}
            className={cn(
              "inline-flex h-9 items-center gap-1.5 rounded-xl border px-3 text-[13px] font-medium transition-colors",
              filters.favorites ? "border-amber-500/40 bg-amber-500/10 text-amber-700 dark:text-amber-300" : "border-line bg-surface text-ink hover:bg-surface-2",
            )}
          >
            <Star className={cn("size-4", filters.favorites && "fill-current")} aria-hidden="true" /> Favourites
          </button>
        )}
        {count > 0 || filters.q ? (
          <Button
            variant="ghost"
            size="sm"
            className="h-9"
            onClick={() =>
              onChange({ q: null, tool: null, kind: null, model: null, status: null, member: null, board: null, favorites: false, from: null, to: null })
            }
          >
            <X /> Clear all
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function ViewTab({ active, onClick, icon: Icon, label }: { active: boolean; onClick: () => void; icon: typeof Images; label: string }) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={active}
      onClick={onClick}
      className={cn(
        "inline-flex h-8 items-center gap-1.5 rounded-[10px] px-3 text-[13px] font-medium transition-colors",
        active ? "bg-accent-soft text-accent" : "text-muted hover:text-ink",
      )}
    >
      <Icon className="size-4" aria-hidden="true" /> {label}
    </button>
  );
}

/** Searches as you type (debounced); Enter searches at once, Escape clears. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  // The URL changed under us (back button, "Clear all"): show what it says.
  if (value !== shown) {
    setShown(value);
    if (value !== text.trim()) setText(value);
  }
  const debounced = useDebouncedValue(text, 300);
  useEffect(() => {
    if (debounced.trim() !== value) onSearch(debounced.trim());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a settled edit searches
  }, [debounced]);
  return (
    <div className="relative min-w-48 flex-1">
      <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted" aria-hidden="true" />
      <input
        id="gallery-search"
        type="search"
        value={text}
        maxLength={SEARCH_MAX}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onSearch(text.trim()); else if (event.key === "Escape" && text) {
            event.stopPropagation();
            setText("");
          }
        }}
        placeholder="Search prompts…"
        aria-label="Search prompts"
        aria-keyshortcuts="/"
        className="h-9 w-full rounded-xl border border-line bg-surface pr-3 pl-9 text-[13px] shadow-xs placeholder:text-muted focus:border-accent focus:ring-4 focus:ring-accent/15 focus:outline-none"
      />
    </div>
  );
}

function EmptyTrashButton({ count, onConfirm, pending }: { count: number; onConfirm: () => void; pending: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="danger-ghost" size="sm" className="h-9" onClick={() => setOpen(true)} loading={pending}>
        <Trash2 /> Empty trash
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete ${plural(count, "item")} for good?`}
        description={PURGE_WARNING}
        cancelLabel="Keep them"
        confirmLabel="Empty trash"
        onConfirm={() => {
          setOpen(false);
          onConfirm();
        }}
      />
    </>
  );
}
