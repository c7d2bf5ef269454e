"use client";

import { FolderInput } from "lucide-react";
import { cn } from "@/lib/cn";
import type { ToolForm } from "@/lib/generations-client/use-tool-form";

/** Where the results of the next runs are filed: no board, or one of the workspace's boards. */
export function BoardPicker({ target }: { target: ToolForm["target"] }) {
  if (target.boards.length === 0) return null;
  return (
    <label className={cn("inline-flex min-w-0 items-center gap-1.5 text-[12px]", target.boardId ? "text-accent" : "text-muted")}>
      <FolderInput className="size-3.5 shrink-0" aria-hidden="true" />
      <span className="sr-only">Save results to board</span>
      <select
        aria-label="Save results to board"
        value={target.boardId ?? ""}
        onChange={(event) => target.set(event.target.value || null)}
        className="max-w-44 min-w-0 truncate rounded-md border-0 bg-transparent py-0.5 pr-1 font-medium focus:ring-2 focus:ring-accent/30 focus:outline-none"
      >
        <option value="">No board</option>
        {target.boards.map((board) => (
          <option key={board.id} value={board.id}>
            Board: {board.name}
          </option>
        ))}
      </select>
    </label>
  );
}
