"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { LayoutGrid, MoreHorizontal, Pencil, Plus, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useActionForm } from "@/components/forms/use-action-form";
import { createBoardAction, deleteBoardAction, renameBoardAction } from "@/lib/actions/boards";
import { createBoardSchema, renameBoardSchema } from "@/lib/validation/boards";

type Board = { id: string; name: string; createdBy: string | null };

export function Boards({ workspace, canEdit, boards }: { workspace: string; canEdit: boolean; boards: Board[] }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Board | null>(null);
  const [, start] = useTransition();

  const remove = (board: Board) =>
    start(async () => {
      const result = await deleteBoardAction({ workspace, boardId: board.id });
      if (!result.ok) return void toast.error(result.error);
      router.refresh();
      toast(`Deleted “${board.name}”`, {
        action: {
          label: "Undo",
          onClick: async () => {
            const restored = await createBoardAction({ workspace, name: board.name });
            if (restored.ok) router.refresh();
            else toast.error(restored.error);
          },
        },
      });
    });

  return (
    <section aria-labelledby="boards-heading" className="space-y-3">
      <div className="flex items-center justify-between">
        <h2 id="boards-heading" className="text-sm font-semibold">
          Boards
        </h2>
        {canEdit ? (
          <Button size="sm" variant="secondary" onClick={() => setCreating(true)}>
            <Plus /> New board
          </Button>
        ) : null}
      </div>
      {boards.length === 0 ? (
        <p className="rounded-xl border border-dashed border-line px-4 py-5 text-sm text-muted">
          {canEdit ? "Group the team's best results into boards." : "No boards yet."}
        </p>
      ) : (
        <ul className="space-y-1" data-testid="board-list">
          {boards.map((board) => (
            <li key={board.id} className="group flex items-center gap-3 rounded-xl px-3 py-2 hover:bg-surface">
              <LayoutGrid className="size-4 text-muted" />
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium">{board.name}</span>
                {board.createdBy ? <span className="block truncate text-xs text-muted">by {board.createdBy}</span> : null}
              </span>
              {canEdit ? (
                <DropdownMenu>
                  <DropdownMenuTrigger
                    aria-label={`Actions for ${board.name}`}
                    className="rounded-lg p-1 text-muted opacity-70 hover:bg-surface-2 hover:text-ink group-hover:opacity-100"
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
      )}
      <BoardDialog
        key={creating ? "create-open" : "create"}
        open={creating}
        onOpenChange={setCreating}
        workspace={workspace}
        onDone={() => router.refresh()}
      />
      <BoardDialog
        key={renaming?.id ?? "rename"}
        open={renaming !== null}
        onOpenChange={(o) => (o ? null : setRenaming(null))}
        workspace={workspace}
        board={renaming ?? undefined}
        onDone={() => router.refresh()}
      />
    </section>
  );
}

function BoardDialog({
  open,
  onOpenChange,
  workspace,
  board,
  onDone,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  workspace: string;
  board?: Board;
  onDone: () => void;
}) {
  const form = useActionForm<unknown>({
    schema: board ? renameBoardSchema : createBoardSchema,
    action: board ? renameBoardAction : createBoardAction,
    initialValues: { name: board?.name ?? "" },
    extra: board ? { workspace, boardId: board.id } : { workspace },
    onSuccess: () => {
      onOpenChange(false);
      onDone();
      toast.success(board ? "Board renamed" : "Board created");
    },
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={board ? "Rename board" : "New board"} description={board ? undefined : "Boards are shared with everyone in the workspace."}>
        <form onSubmit={form.submit} noValidate className="space-y-4">
          <FormError message={form.formError} />
          <Field id="name" label="Name" error={form.errorFor("name")}>
            <Input {...form.field("name")} autoFocus placeholder="Moodboard, Client picks…" />
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={form.pending}>
              {board ? "Save" : "Create board"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
