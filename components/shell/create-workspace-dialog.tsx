"use client";

import { useRouter } from "next/navigation";
import { toast } from "@/lib/client/toast";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useActionForm } from "@/lib/client/use-action-form";
import { createWorkspaceAction } from "@/lib/actions/workspaces";
import { createWorkspaceSchema } from "@/lib/validation/workspaces";

export function CreateWorkspaceDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const form = useActionForm({
    schema: createWorkspaceSchema,
    action: createWorkspaceAction,
    initialValues: { name: "" },
    onSuccess: ({ slug }) => {
      onOpenChange(false);
      form.reset();
      toast.success("Workspace created", { description: "Invite your team from Settings." });
      router.push(`/w/${slug}/settings`);
    },
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title="Create a team workspace" description="A shared gallery, shared provider keys and roles for everyone you invite.">
        <form onSubmit={form.submit} noValidate className="space-y-4">
          <FormError message={form.formError} />
          <Field id="name" label="Workspace name" error={form.errorFor("name")}>
            <Input {...form.field("name")} autoFocus placeholder="Acme Creative" />
          </Field>
          <div className="flex justify-end gap-2 pt-1">
            <Button variant="ghost" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={form.pending}>
              Create workspace
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
