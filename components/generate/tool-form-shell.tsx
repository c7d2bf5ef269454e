"use client";

import Link from "next/link";
import { useEffect, useSyncExternalStore, type ReactNode } from "react";
import { ArrowLeft, Eye, Sparkles } from "lucide-react";
import { cn } from "@/lib/cn";
import type { ToolForm } from "@/lib/generations-client/use-tool-form";
import { useModifierKey } from "@/lib/client/use-modifier-key";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { BoardPicker } from "@/components/generate/board-picker";
import { EstimateBadge } from "@/components/generate/estimate-badge";
import { FormDisabledContext } from "@/components/generate/form-disabled";
import { TOOLS_BY_ID } from "@/components/generate/tools";
import type { ToolId } from "@/lib/validation/generations";

/**
 * The settings panel of a tool page: its header, the fields (scrolling on their own on wide screens), and a footer
 * that stays in reach with the estimate and the Generate button. ⌘/Ctrl+Enter submits from anywhere in the form;
 * a plain Enter in a text box does not.
 */
export function ToolFormShell({
  slug,
  tool,
  form,
  canGenerate,
  notice,
  submitLabel = "Generate",
  presets,
  children,
}: {
  slug: string;
  tool: ToolId;
  form: ToolForm;
  canGenerate: boolean;
  notice?: ReactNode;
  /** The form's presets control (components/generate/presets-control.tsx), at the end of the header. */
  presets?: ReactNode;
  submitLabel?: string;
  children: ReactNode;
}) {
  const info = TOOLS_BY_ID[tool];
  const Icon = info.icon;
  const modifier = useModifierKey();
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  useDropGuard();
  return (
    <form
      noValidate
      aria-label={`${info.name} settings`}
      onSubmit={(event) => void form.onSubmit(event)}
      onKeyDown={(event) => {
        if (event.key !== "Enter") return;
        if (event.metaKey || event.ctrlKey) {
          event.preventDefault();
          void form.onSubmit();
        } else if (event.target instanceof HTMLInputElement) {
          // Enter in a number or seed box must not spend credits: only the button and ⌘/Ctrl+Enter submit.
          event.preventDefault();
        }
      }}
      className="flex flex-col lg:h-full"
    >
      <header className="flex items-center gap-3 border-b border-line/70 px-5 py-4">
        <Link
          href={`/w/${slug}/generate`}
          aria-label="All tools"
          className="grid size-8 shrink-0 place-items-center rounded-lg text-muted hover:bg-surface-2 hover:text-ink"
        >
          <ArrowLeft className="size-4" />
        </Link>
        <span className="grid size-9 shrink-0 place-items-center rounded-xl bg-accent-soft text-accent">
          <Icon className="size-[18px]" aria-hidden="true" />
        </span>
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-[17px] font-semibold tracking-tight">{info.name}</h1>
          <p className="truncate text-[12px] text-muted">{info.description}</p>
        </div>
        <Badge className="hidden shrink-0 sm:inline-flex">{info.provider}</Badge>
        {presets}
      </header>

      {/* Relative, so the fields' absolutely placed pieces (a switch's hidden form input) belong to this scrolling box:
          otherwise they hang below the panel and the page scrolls past its end when the runs beside it are short. */}
      <div className="relative flex-1 space-y-6 px-5 py-5 lg:overflow-y-auto">
        {!canGenerate ? (
          <div className="flex gap-2.5 rounded-xl border border-line bg-surface-2/70 px-3.5 py-3 text-[13px]">
            <Eye className="mt-0.5 size-4 shrink-0 text-muted" aria-hidden="true" />
            <p>
              <span className="font-medium">You&apos;re a viewer in this workspace.</span>{" "}
              <span className="text-muted">You can look at the settings and results; an admin can make you a member to generate.</span>
            </p>
          </div>
        ) : null}
        {notice}
        <FormDisabledContext.Provider value={!canGenerate}>
          {/* Until React has hydrated the form, typing would be lost (the controlled fields reset to their state), so
              the fields wait: disabled in the server HTML, enabled on hydration, without a visual flash. */}
          <fieldset disabled={!canGenerate || !hydrated} className={cn("min-w-0 space-y-6", !canGenerate && "opacity-70")}>
            {children}
          </fieldset>
        </FormDisabledContext.Provider>
      </div>

      <footer className="sticky bottom-[calc(3.75rem+env(safe-area-inset-bottom))] z-20 space-y-2.5 border-t border-line/70 bg-canvas/95 px-5 py-3.5 backdrop-blur lg:bottom-0">
        <FormError message={form.formError} />
        {canGenerate ? (
          <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2">
            <EstimateBadge estimate={form.estimate} provider={info.provider} />
            <BoardPicker target={form.target} />
          </div>
        ) : null}
        <Button
          type="submit"
          size="lg"
          className="w-full"
          loading={form.pending || form.waitingFor !== null}
          disabled={form.blockedReason !== null}
          aria-describedby={form.blockedReason ? "submit-blocked" : undefined}
        >
          {form.pending || form.waitingFor ? null : <Sparkles />}
          {form.pending ? "Submitting…" : (form.waitingFor ?? submitLabel)}
          {!form.pending && !form.waitingFor && canGenerate ? (
            // Darkened in the light theme, lightened in the dark one: the hint keeps 4.5:1 with the button's ink.
            <kbd className="ml-1 hidden rounded-md bg-black/15 px-1.5 py-0.5 font-sans text-[11px] font-medium sm:inline dark:bg-white/25">{modifier}↵</kbd>
          ) : null}
        </Button>
        {form.blockedReason ? (
          <p id="submit-blocked" className={cn("text-center text-[12px]", canGenerate ? "text-danger" : "text-muted")}>
            {form.blockedReason}
          </p>
        ) : null}
      </footer>
    </form>
  );
}

const noSubscription = () => () => {};

/** A file dropped beside a picker would make the browser leave the page to open it; on a tool page it does nothing. */
function useDropGuard() {
  useEffect(() => {
    const guard = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      if (event.target instanceof Element && event.target.closest("[data-input-picker]")) return;
      event.preventDefault();
      if (event.type === "dragover") event.dataTransfer.dropEffect = "none";
    };
    window.addEventListener("dragover", guard);
    window.addEventListener("drop", guard);
    return () => {
      window.removeEventListener("dragover", guard);
      window.removeEventListener("drop", guard);
    };
  }, []);
}
