"use client";

import { useState, useTransition } from "react";
import dynamic from "next/dynamic";
import { Inbox, LayoutGrid, MoreHorizontal, Pencil, Plus, Trash2 } from "lucide-react";
import { toast } from "@/lib/client/toast";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/lazy-dropdown-menu";
import { createBoardAction, deleteBoardAction } from "@/lib/actions/boards";
import { cn } from "@/lib/cn";

// The create/rename form (and its schema) loads when it is first opened.
const BoardDialog = dynamic(() => import("./board-dialog").then((m) => m.BoardDialog), { ssr: false });

type Board = { id: string; name: string };

/**
 * The workspace's boards beside the grid: choosing one shows what is filed in it; members create, rename and
 * delete them (deleting a board keeps its items, and can be undone).
 */
export function BoardsPanel({
  slug: workspace,
  canEdit,
  boards,
  current,
  onSelect,
  onChanged,
}: {
  slug: string;
  canEdit: boolean;
  boards: Board[];
  current: string | null;
  onSelect: (board: string | null) => void;
  onChanged: () => void;
}) {
  const refresh = onChanged;
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Board | null>(null);
  const [, start] = useTransition();

  const remove = (board: Board) =>
    start(async () => {
      const result = await deleteBoardAction({ workspace, boardId: board.id });
      if (!result.ok) return void toast.error(result.error);
      if (current === board.id) onSelect(null);
      refresh();
      toast(`Deleted “${board.name}”. Its items stay in the gallery.`, {
        action: {
          label: "Undo",
          onClick: async () => {
            const restored = await createBoardAction({ workspace, name: board.name, mediaIds: result.data.mediaIds });
            if (restored.ok) refresh();
            else toast.error(restored.error);
          },
        },
      });
    });

  return (
    <section aria-labelledby="boards-heading" className="order-first min-w-0 space-y-3 xl:order-none">
      <div className="flex items-center justify-between gap-3">
        <h2 id="boards-heading" className="text-sm font-semibold">
          Boards
        </h2>
        {canEdit ? (
          <Button size="sm" variant="secondary" onClick={() => setCreating(true)}>
            <Plus /> New board
          </Button>
        ) : null}
      </div>
      <ul className="-mx-1 flex gap-1 overflow-x-auto px-1 pb-1 xl:mx-0 xl:block xl:space-y-0.5 xl:overflow-visible xl:px-0" data-testid="board-list">
        <li className="shrink-0">
          <BoardLink icon={LayoutGrid} label="Everything" active={current === null} onClick={() => onSelect(null)} />
        </li>
        <li className="shrink-0">
          <BoardLink icon={Inbox} label="Not in a board" active={current === "none"} onClick={() => onSelect("none")} />
        </li>
        {boards.map((board) => (
          <li key={board.id} className="group relative shrink-0">
            <BoardLink icon={LayoutGrid} label={board.name} active={current === board.id} onClick={() => onSelect(board.id)} padded={canEdit} />
            {canEdit ? (
              <DropdownMenu>
                <DropdownMenuTrigger
                  aria-label={`Actions for ${board.name}`}
                  className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded-lg p-1 text-muted opacity-60 hover:bg-surface-2 hover:text-ink group-hover:opacity-100 focus-visible:opacity-100"
                >
                  <MoreHorizontal className="size-4" />
                </DropdownMenuTrigger>
                <DropdownMenuContent align="end" className="min-w-40">
                  <DropdownMenuItem onSelect={() => setRenaming(board)}>
                    <Pencil /> Rename
                  </DropdownMenuItem>
                  <DropdownMenuItem onSelect={() => remove(board)} className="text-danger [&_svg]:!text-danger">
                    <Trash2 /> Delete
                  </DropdownMenuItem>
                </DropdownMenuContent>
              </DropdownMenu>
            ) : null}
          </li>
        ))}
      </ul>
      {boards.length === 0 ? (
        <p className="hidden rounded-xl border border-dashed border-line px-4 py-4 text-[13px] text-muted xl:block">
          {canEdit ? "Group the team's best results into boards, and pick one before generating to file results there." : "No boards yet."}
        </p>
      ) : null}
      {creating ? <BoardDialog key="create" open onOpenChange={setCreating} workspace={workspace} onDone={refresh} /> : null}
      {renaming ? (
        <BoardDialog key={renaming.id} open onOpenChange={(o) => (o ? null : setRenaming(null))} workspace={workspace} board={renaming} onDone={refresh} />
      ) : null}
    </section>
  );
}

function BoardLink({
  icon: Icon,
  label,
  active,
  onClick,
  padded = false,
}: {
  icon: typeof LayoutGrid;
  label: string;
  active: boolean;
  onClick: () => void;
  padded?: boolean;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-current={active || undefined}
      className={cn(
        "flex w-full items-center gap-2.5 rounded-xl px-3 py-2 text-left text-[13px] whitespace-nowrap transition-colors",
        padded && "pr-9",
        active ? "bg-accent-soft font-medium text-accent" : "text-ink hover:bg-surface",
      )}
    >
      <Icon className="size-4 shrink-0 opacity-70" aria-hidden="true" />
      <span className="truncate">{label}</span>
    </button>
  );
}
