"use client";

import { useRouter } from "next/navigation";
import { toast } from "@/lib/client/toast";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useActionForm } from "@/lib/client/use-action-form";
import { renameWorkspaceAction } from "@/lib/actions/workspaces";
import { renameWorkspaceSchema } from "@/lib/validation/workspaces";
import { SettingsSection } from "./section";

export function GeneralSettings({ workspace, name, personal, canEdit }: { workspace: string; name: string; personal: boolean; canEdit: boolean }) {
  const router = useRouter();
  const form = useActionForm({
    schema: renameWorkspaceSchema,
    action: renameWorkspaceAction,
    initialValues: { name },
    extra: { workspace },
    onSuccess: () => {
      toast.success("Workspace renamed");
      router.refresh();
    },
  });
  const changed = form.values.name?.trim() !== name;
  return (
    <SettingsSection id="general" title="General" description={personal ? "Your personal workspace." : "Shown to everyone in the workspace."}>
      <form onSubmit={form.submit} noValidate className="space-y-4 p-5">
        <FormError message={form.formError} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="name" label="Name" error={form.errorFor("name")}>
            <Input {...form.field("name")} disabled={!canEdit} />
          </Field>
          <Field id="slug" label="Address" hint="Links to this workspace use this address.">
            <Input id="slug" value={`/w/${workspace}`} readOnly disabled className="font-mono text-[13px]" />
          </Field>
        </div>
        {canEdit ? (
          <div className="flex justify-end">
            <Button type="submit" size="sm" disabled={!changed} loading={form.pending}>
              Save changes
            </Button>
          </div>
        ) : null}
      </form>
    </SettingsSection>
  );
}
