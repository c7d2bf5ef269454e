"use client";

import { Fragment, useEffect, useState } from "react";
import { isTypingTarget } from "@/lib/client/is-typing";
import { useModifierKey } from "@/lib/client/use-modifier-key";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";

/** `keys`: the alternatives (shown with "/"), each a combination of keys pressed together (shown with "+"). */
type Shortcut = { keys: string[][]; what: string };

/**
 * "?" anywhere in the studio (outside a text field) opens this sheet of every keyboard shortcut; Esc closes it.
 * The list is written from the key handlers themselves: ToolFormShell (⌘/Ctrl+Enter), the gallery's view, its
 * search box and its detail panel, the run lightbox, the crop dialog, the sliders and the usage charts. Add a line
 * here when a handler gains a key.
 */
function groups(mod: string): { title: string; shortcuts: Shortcut[] }[] {
  return [
    {
      title: "Anywhere",
      shortcuts: [{ keys: [["?"]], what: "Show these shortcuts" }],
    },
    {
      title: "Generate",
      shortcuts: [
        { keys: [[mod, "Enter"]], what: "Generate, from anywhere in the form" },
        { keys: [["↑"]], what: "Your recent prompts, in an empty prompt box" },
        { keys: [["↑"], ["↓"]], what: "Step a slider's value while it has focus" },
        { keys: [["←"], ["→"]], what: "Browse a run's results in the viewer" },
        { keys: [["←"], ["↑"], ["→"], ["↓"]], what: "Move the crop (hold Shift for bigger steps)" },
        { keys: [["+"], ["-"]], what: "Grow or shrink the crop" },
      ],
    },
    {
      title: "Gallery",
      shortcuts: [
        { keys: [["/"]], what: "Search prompts" },
        { keys: [["Enter"]], what: "Search at once (in the search box)" },
        { keys: [["Esc"]], what: "Clear the search box, or the selection" },
        { keys: [[mod, "A"]], what: "Select everything shown" },
        { keys: [["Shift", "click"]], what: "Select a range" },
      ],
    },
    {
      title: "An open gallery item",
      shortcuts: [
        { keys: [["←"], ["→"]], what: "Previous or next item" },
        { keys: [["F"]], what: "Favourite or unfavourite" },
        { keys: [["Delete"], ["Backspace"]], what: "Move to the trash" },
        { keys: [["Esc"]], what: "Close" },
      ],
    },
    {
      title: "Usage charts",
      shortcuts: [
        { keys: [["←"], ["→"]], what: "Read the previous or next point" },
        { keys: [["Home"], ["End"]], what: "First or last point" },
      ],
    },
  ];
}

export function ShortcutsSheet() {
  const [open, setOpen] = useState(false);
  const mod = useModifierKey();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // "?" is Shift+/ on most layouts: only Ctrl, ⌘ and Alt mean another shortcut.
      if (event.key !== "?" || event.metaKey || event.ctrlKey || event.altKey || event.defaultPrevented) return;
      if (isTypingTarget(event.target)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent title="Keyboard shortcuts" description="Single keys work when you are not typing in a field." className="max-h-[calc(100dvh-2rem)] max-w-lg overflow-y-auto">
        <div className="space-y-5">
          {groups(mod).map((group) => (
            <section key={group.title} aria-label={group.title}>
              <h3 className="mb-1.5 text-[12px] font-semibold tracking-wide text-muted uppercase">{group.title}</h3>
              <dl className="divide-y divide-line/70">
                {group.shortcuts.map((shortcut) => (
                  <div key={shortcut.what} className="flex items-center justify-between gap-4 py-1.5 text-sm">
                    <dt className="min-w-0">{shortcut.what}</dt>
                    <dd className="flex shrink-0 items-center gap-1 text-[12px] text-muted">
                      {shortcut.keys.map((combo, i) => (
                        <Fragment key={i}>
                          {i > 0 ? <span aria-hidden="true">/</span> : null}
                          <span className="flex items-center gap-0.5">
                            {combo.map((key, j) => (
                              <Fragment key={j}>
                                {j > 0 ? <span aria-hidden="true">+</span> : null}
                                <kbd className="min-w-6 rounded-md border border-line bg-surface-2 px-1.5 py-0.5 text-center font-sans text-[11px] text-ink">{key}</kbd>
                              </Fragment>
                            ))}
                          </span>
                        </Fragment>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </DialogContent>
    </Dialog>
  );
}
