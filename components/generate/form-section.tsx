"use client";

import { useState, type ReactNode } from "react";
import { ChevronDown } from "lucide-react";
import { Collapsible, Switch } from "radix-ui";
import { cn } from "@/lib/cn";

/** A titled block of the settings panel. */
export function FormSection({ title, description, children, className }: { title?: string; description?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={cn("space-y-4", className)}>
      {title ? (
        <div className="space-y-0.5">
          <h3 className="text-[11px] font-semibold tracking-wider text-muted uppercase">{title}</h3>
          {description ? <p className="text-[13px] text-muted">{description}</p> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}

/** Settings most runs leave alone, folded away; `summary` says what they're set to while closed. */
export function CollapsibleSection({
  title,
  summary,
  children,
  defaultOpen = false,
  forceOpen = false,
}: {
  title: string;
  summary?: ReactNode;
  children: ReactNode;
  defaultOpen?: boolean;
  /** Open while it holds an error the user must see. */
  forceOpen?: boolean;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const isOpen = open || forceOpen;
  return (
    <Collapsible.Root open={isOpen} onOpenChange={setOpen} className="rounded-2xl border border-line bg-surface/60">
      <Collapsible.Trigger className="flex w-full items-center gap-3 rounded-2xl px-4 py-3 text-left hover:bg-surface-2/60">
        <span className="min-w-0 flex-1">
          <span className="block text-[13px] font-semibold">{title}</span>
          {summary && !isOpen ? <span className="block truncate text-[12px] text-muted">{summary}</span> : null}
        </span>
        <ChevronDown className={cn("size-4 shrink-0 text-muted transition-transform", isOpen && "rotate-180")} aria-hidden="true" />
      </Collapsible.Trigger>
      <Collapsible.Content className="space-y-5 px-4 pt-1 pb-4">{children}</Collapsible.Content>
    </Collapsible.Root>
  );
}

/** An optional feature switched on and off (ControlNet, face lock, character); its settings show while on. */
export function ToggleSection({
  id,
  title,
  description,
  checked,
  onCheckedChange,
  children,
  badge,
}: {
  id: string;
  title: string;
  description: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  children: ReactNode;
  badge?: ReactNode;
}) {
  return (
    <div className={cn("rounded-2xl border transition-colors", checked ? "border-accent/40 bg-surface" : "border-line bg-surface/60")}>
      <div className="flex items-start gap-3 px-4 py-3">
        <div className="min-w-0 flex-1">
          <label htmlFor={`${id}-switch`} className="flex items-center gap-2 text-[13px] font-semibold">
            {title}
            {badge}
          </label>
          <p className="text-[12px] text-muted">{description}</p>
        </div>
        <Switch.Root
          id={`${id}-switch`}
          checked={checked}
          onCheckedChange={onCheckedChange}
          className="relative mt-0.5 inline-flex h-5 w-9 shrink-0 items-center rounded-full bg-line transition-colors data-[state=checked]:bg-accent"
        >
          <Switch.Thumb className="block size-4 translate-x-0.5 rounded-full bg-white shadow-sm transition-transform data-[state=checked]:translate-x-[18px]" />
        </Switch.Root>
      </div>
      {checked ? <div className="space-y-5 border-t border-line/70 px-4 pt-4 pb-4">{children}</div> : null}
    </div>
  );
}
