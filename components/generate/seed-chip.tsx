"use client";

import { Copy } from "lucide-react";
import { toast } from "@/lib/client/toast";
import { cn } from "@/lib/cn";

/**
 * A run's seed as a chip that copies it. A batch has one seed: the provider makes its images from it (the sandbox
 * gives image i `seed + i`), so the same seed with the same settings, batch size included, makes the same batch.
 */
export function SeedChip({ seed, batch = 1, className }: { seed: number; batch?: number; className?: string }) {
  const title = batch > 1 ? `One seed for all ${batch} results of this run. Copy it` : "Copy the seed";
  return (
    <button
      type="button"
      aria-label={`Copy seed ${seed}`}
      title={title}
      onClick={() => void copySeed(seed)}
      className={cn(
        "inline-flex h-6 items-center gap-1 rounded-md border border-line bg-surface-2/60 px-1.5 font-mono text-[11px] text-muted tabular-nums",
        "hover:bg-surface-2 hover:text-ink focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent",
        className,
      )}
    >
      <span className="font-sans">Seed</span> {seed}
      <Copy className="size-3" aria-hidden="true" />
    </button>
  );
}

async function copySeed(seed: number) {
  const text = String(seed);
  if (await copyText(text)) toast.success("Seed copied", { description: text });
  else toast(`Seed ${text}`, { description: "This browser doesn't allow copying here; select the number to copy it." });
}

/** The Clipboard API needs a secure context; a studio reached over plain http on a LAN falls back to a selection. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection copy
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
