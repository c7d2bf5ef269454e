"use client";

import { useImperativeHandle, useRef, useState, type ReactNode, type Ref } from "react";
import { UserRound } from "lucide-react";
import { cn } from "@/lib/cn";
import { insertAt } from "@/lib/generations-client/prompt-tokens";
import type { PromptTool } from "@/lib/validation/prompt-history";
import { FieldMessage } from "@/components/generate/field-group";
import { PromptHistoryButton, PromptHistoryDialog } from "@/components/generate/prompt-history";

export type PromptFieldHandle = { insert: (text: string) => void; focus: () => void };

/**
 * A prompt (or script) box that grows with its text, a live character count against `max`, and buttons that insert
 * tokens such as a character's `{Name}` where the caret is. With `history`, the member's recent prompts for that tool
 * are one press away: the History button, or ↑ in the empty box; one chosen replaces the text.
 */
export function PromptField({
  id,
  label,
  value,
  onChange,
  onBlur,
  max,
  error,
  hint,
  placeholder,
  optional,
  tokens,
  minRows = 3,
  ref,
  trailing,
  history,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  max: number;
  error?: string;
  hint?: ReactNode;
  placeholder?: string;
  optional?: boolean;
  tokens?: readonly string[];
  minRows?: number;
  ref?: Ref<PromptFieldHandle>;
  trailing?: ReactNode;
  history?: { slug: string; tool: PromptTool };
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const insert = (token: string) => {
    const element = textarea.current;
    const start = element && document.activeElement === element ? element.selectionStart : value.length;
    const end = element && document.activeElement === element ? element.selectionEnd : value.length;
    const next = insertAt(value, token, start, end);
    onChange(next.value);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(next.caret, next.caret);
    });
  };
  useImperativeHandle(ref, () => ({ insert, focus: () => textarea.current?.focus() }));

  const count = value.length;
  const over = count > max;
  const near = !over && count >= max * 0.9;
  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-[13px] font-medium">
          {label}
          {optional ? <span className="ml-1.5 font-normal text-muted">Optional</span> : null}
        </label>
        <span className="flex items-center gap-1">
          {history ? <PromptHistoryButton onOpen={() => setHistoryOpen(true)} shortcut="↑ in an empty box" /> : null}
          {trailing}
        </span>
      </div>
      <div
        className={cn(
          "rounded-xl border bg-surface shadow-xs transition-colors focus-within:ring-4",
          error ? "border-danger focus-within:ring-danger/15" : "border-line focus-within:border-accent focus-within:ring-accent/15",
        )}
      >
        <textarea
          ref={textarea}
          id={id}
          value={value}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
          onBlur={onBlur}
          onKeyDown={(event) => {
            if (!history || event.key !== "ArrowUp" || value !== "" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
            event.preventDefault();
            setHistoryOpen(true);
          }}
          aria-keyshortcuts={history ? "ArrowUp" : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={cn(error ? `${id}-error` : hint ? `${id}-hint` : null, `${id}-count`) || undefined}
          style={{ minHeight: `${minRows * 1.5 + 1.25}rem` }}
          className="block max-h-80 w-full resize-none bg-transparent px-3.5 pt-2.5 text-sm leading-6 [field-sizing:content] placeholder:text-muted focus:outline-none"
        />
        <div className="flex items-center justify-between gap-2 px-2.5 pb-2">
          <div className="flex min-w-0 flex-wrap gap-1.5">
            {tokens?.map((token) => (
              <button
                key={token}
                type="button"
                onClick={() => insert(token)}
                className="inline-flex h-6 items-center gap-1 rounded-full bg-accent-soft px-2 text-[12px] font-medium text-accent hover:bg-accent/15"
              >
                <UserRound className="size-3" aria-hidden="true" />
                Insert {token}
              </button>
            ))}
          </div>
          <span
            id={`${id}-count`}
            className={cn("shrink-0 text-[11px] tabular-nums", over ? "font-medium text-danger" : near ? "text-ink" : "text-muted")}
          >
            <span className="sr-only">Characters used: </span>
            {count.toLocaleString("en")} / {max.toLocaleString("en")}
          </span>
        </div>
      </div>
      <FieldMessage id={id} error={error} hint={hint} />
      {history ? (
        <PromptHistoryDialog
          slug={history.slug}
          tool={history.tool}
          open={historyOpen}
          onOpenChange={setHistoryOpen}
          onChoose={onChange}
          onClosed={() => {
            const element = textarea.current;
            element?.focus();
            element?.setSelectionRange(element.value.length, element.value.length);
          }}
        />
      ) : null}
    </div>
  );
}
