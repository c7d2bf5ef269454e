"use client";

import { useState } from "react";
import { Bookmark, TriangleAlert } from "lucide-react";
import type { PresetDTO } from "@/lib/data/presets";
import { toast } from "@/lib/client/toast";
import { writeTargetBoard } from "@/lib/gallery-client/target-board";
import type { ToolId } from "@/lib/validation/generations";
import { onDemand } from "@/components/ui/on-demand";

// The list, the save form and their schema load when the dialog is first opened (components/ui/on-demand.tsx).
const PresetsDialog = onDemand(() => import("@/components/generate/presets-dialog").then((m) => m.PresetsDialog), (props) => props.open);

/**
 * The tool form's "Presets" button (in its header) and the dialog it opens: the member's and the workspace's presets
 * of this tool, applied in one click, and "Save as preset…" from the form's current params. `onApply` is the form's
 * own: it replaces every setting but the inputs the creator already chose. The preset's board, when it has one,
 * becomes the board results land in.
 */
export function PresetsControl({
  slug,
  tool,
  params,
  canSave,
  onApply,
}: {
  slug: string;
  tool: ToolId;
  /** What the form would send now (inputs included: the server drops them). */
  params: unknown;
  /** Members and up save, rename, update and delete; a viewer only reads the list. */
  canSave: boolean;
  onApply: (preset: PresetDTO) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        className="inline-flex h-8 shrink-0 items-center gap-1.5 rounded-lg border border-line bg-surface px-2.5 text-[12px] font-medium hover:bg-surface-2"
      >
        <Bookmark className="size-3.5" aria-hidden="true" />
        Presets
      </button>
      <PresetsDialog
        open={open}
        onOpenChange={setOpen}
        slug={slug}
        tool={tool}
        params={params}
        canSave={canSave}
        onApply={(preset) => {
          onApply(preset);
          if (preset.boardId) writeTargetBoard(slug, preset.boardId);
          setOpen(false);
          toast(`Applied “${preset.name}”`, { description: "Every setting but your inputs comes from the preset." });
        }}
      />
    </>
  );
}

/** The sentence above the form when an applied preset names what the provider no longer lists (lib/generations-client/preset-gaps.ts). */
export function PresetGapsNotice({ sentence }: { sentence: string | null }) {
  if (!sentence) return null;
  return (
    <div role="status" className="flex gap-2.5 rounded-xl border border-danger/30 bg-danger-soft px-3.5 py-3 text-[13px] text-danger">
      <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <p>{sentence}</p>
    </div>
  );
}
