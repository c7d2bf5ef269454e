"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useActionForm } from "@/lib/client/use-action-form";
import { createWorkspaceAction } from "@/lib/actions/workspaces";
import { createWorkspaceSchema } from "@/lib/validation/workspaces";

export function NewWorkspaceForm() {
  const router = useRouter();
  const form = useActionForm({
    schema: createWorkspaceSchema,
    action: createWorkspaceAction,
    initialValues: { name: "" },
    onSuccess: ({ slug }) => router.push(`/w/${slug}/generate`),
  });
  return (
    <form onSubmit={form.submit} noValidate className="space-y-4">
      <FormError message={form.formError} />
      <Field id="name" label="Workspace name" error={form.errorFor("name")}>
        <Input {...form.field("name")} autoFocus placeholder="Acme Creative" />
      </Field>
      <Button type="submit" className="w-full" loading={form.pending}>
        Create workspace
      </Button>
    </form>
  );
}
