"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { History, ImageOff, RotateCcw, Search } from "lucide-react";
import { cn } from "@/lib/cn";
import { timeAgo } from "@/lib/client/time-ago";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { usePromptHistory } from "@/lib/generations-client/use-prompt-history";
import type { PromptTool } from "@/lib/validation/prompt-history";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { MediaImage } from "@/components/generate/media-image";

/** The button beside a prompt field's label that opens the member's recent prompts for this tool. */
export function PromptHistoryButton({ onOpen, shortcut }: { onOpen: () => void; shortcut: string }) {
  return (
    <button
      type="button"
      onClick={onOpen}
      aria-keyshortcuts="ArrowUp"
      title={`Recent prompts (${shortcut})`}
      className="inline-flex h-6 items-center gap-1 rounded-md px-1.5 text-[12px] font-medium text-muted hover:bg-surface-2 hover:text-ink"
    >
      <History className="size-3.5" aria-hidden="true" />
      History
    </button>
  );
}

/**
 * The member's recent prompts for one tool, newest first, each with the thumbnail of its newest result still in the
 * gallery: typed to search, ↑/↓ to move, Enter to use one (it replaces the prompt), Escape to go back to the field.
 */
export function PromptHistoryDialog({
  slug,
  tool,
  open,
  onOpenChange,
  onChoose,
  onClosed,
}: {
  slug: string;
  tool: PromptTool;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onChoose: (prompt: string) => void;
  /** Where focus goes back when the dialog closes (the prompt box, caret at the end). */
  onClosed: () => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Recent prompts"
        description="Your prompts with this tool, newest first."
        className="max-w-lg"
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          onClosed();
        }}
      >
        {/* Mounted with each opening (a closed dialog's content is not rendered): a fresh search, clock and position. */}
        <HistoryPanel
          slug={slug}
          tool={tool}
          onChoose={(prompt) => {
            onChoose(prompt);
            onOpenChange(false);
          }}
        />
      </DialogContent>
    </Dialog>
  );
}

function HistoryPanel({ slug, tool, onChoose }: { slug: string; tool: PromptTool; onChoose: (prompt: string) => void }) {
  const [search, setSearch] = useState("");
  const query = useDebouncedValue(search.trim(), 200);
  const history = usePromptHistory(slug, tool, query, true);
  const entries = history.data ?? [];
  // The highlighted row, for the search it was moved in: a new search starts again at the top.
  const [position, setPosition] = useState({ query, index: 0 });
  const active = position.query === query ? Math.min(position.index, Math.max(0, entries.length - 1)) : 0;
  const setActive = (index: number) => setPosition({ query, index });
  const listId = useId();
  const list = useRef<HTMLUListElement>(null);
  const [now] = useState(() => Date.now());

  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (entries.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + entries.length) % entries.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const entry = entries[active];
      if (entry) onChoose(entry.prompt);
    }
  };

  const activeId = entries[active] ? `${listId}-${active}` : undefined;
  return (
    <>
      <div className="relative">
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted" aria-hidden="true" />
        <input
          type="search"
          autoFocus
          value={search}
          maxLength={200}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-label="Search your prompts"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-autocomplete="list"
          placeholder="Search your prompts"
          className="h-10 w-full rounded-xl border border-line bg-surface pr-3 pl-9 text-sm placeholder:text-muted focus:border-accent focus:ring-4 focus:ring-accent/15 focus:outline-none"
        />
      </div>
      <div className="mt-3 max-h-[min(26rem,60dvh)] overflow-y-auto" aria-busy={history.isFetching || undefined}>
        {history.isPending ? (
          <div className="space-y-2" aria-label="Loading your prompts">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-14" />
            ))}
          </div>
        ) : history.isError ? (
          <div role="alert" className="flex items-center gap-3 rounded-xl border border-danger/30 bg-danger-soft px-3.5 py-3 text-[13px] text-danger">
            <p className="min-w-0 flex-1">Couldn&apos;t load your prompts. {history.error.message}</p>
            <button type="button" onClick={() => void history.refetch()} className="inline-flex items-center gap-1 font-medium hover:underline">
              <RotateCcw className="size-3.5" aria-hidden="true" /> Retry
            </button>
          </div>
        ) : entries.length === 0 ? (
          <p className="rounded-xl border border-dashed border-line px-4 py-6 text-center text-[13px] text-muted">
            {query ? `None of your prompts contains “${query}”.` : "No prompts yet: the prompts of your runs with this tool will be here."}
          </p>
        ) : (
          <ul ref={list} id={listId} role="listbox" aria-label="Recent prompts" className="space-y-1">
            {entries.map((entry, index) => (
              <li
                key={entry.prompt}
                id={`${listId}-${index}`}
                data-index={index}
                role="option"
                aria-selected={index === active}
                onPointerMove={() => index !== active && setActive(index)}
                onClick={() => onChoose(entry.prompt)}
                className={cn("flex cursor-pointer items-center gap-3 rounded-xl px-2 py-2", index === active ? "bg-accent-soft" : "hover:bg-surface-2")}
              >
                <span className="grid size-11 shrink-0 place-items-center overflow-hidden rounded-lg bg-surface-2 text-muted">
                  {entry.thumbUrl ? <MediaImage src={entry.thumbUrl} alt="" className="size-full object-cover" /> : <ImageOff className="size-4" aria-hidden="true" />}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="line-clamp-2 text-[13px] leading-snug break-words">{entry.prompt}</span>
                  <span className="block text-[11px] text-muted">
                    {timeAgo(entry.lastUsedAt, now)}
                    {entry.uses > 1 ? ` · used ${entry.uses} times` : ""}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="mt-3 hidden text-[11px] text-muted sm:block">↑ ↓ to move · Enter to use · Esc to go back</p>
    </>
  );
}
