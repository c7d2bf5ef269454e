"use client";

import { toast } from "@/lib/client/toast";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useActionForm } from "@/lib/client/use-action-form";
import { createBoardAction, renameBoardAction } from "@/lib/actions/boards";
import { createBoardSchema, renameBoardSchema } from "@/lib/validation/boards";

type Board = { id: string; name: string };

/** Create or rename a board (loaded when first opened: it carries the form and its schema). */
export function BoardDialog({
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
