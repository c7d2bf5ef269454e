"use client";

import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useActionForm } from "@/lib/client/use-action-form";
import { signUpAction } from "@/lib/actions/auth";
import { PASSWORD_MIN, signUpSchema } from "@/lib/validation/auth";

export function SignUpForm({ invite }: { invite?: string }) {
  const form = useActionForm({
    schema: signUpSchema,
    action: signUpAction,
    initialValues: { name: "", email: "", password: "" },
    extra: invite ? { invite } : undefined,
  });
  const length = form.values.password?.length ?? 0;

  return (
    <form onSubmit={form.submit} noValidate className="space-y-4">
      <FormError message={form.formError} />
      <Field id="name" label="Your name" error={form.errorFor("name")}>
        <Input {...form.field("name")} autoComplete="name" autoFocus placeholder="Ada Lovelace" />
      </Field>
      <Field id="email" label="Email" error={form.errorFor("email")}>
        <Input {...form.field("email")} type="email" autoComplete="email" placeholder="you@example.com" />
      </Field>
      <Field
        id="password"
        label="Password"
        error={form.errorFor("password")}
        hint={`At least ${PASSWORD_MIN} characters.`}
        trailing={
          length > 0 ? (
            <span className={length >= PASSWORD_MIN ? "text-xs text-success" : "text-xs text-muted"}>
              {length}/{PASSWORD_MIN}
            </span>
          ) : null
        }
      >
        <Input {...form.field("password")} type="password" autoComplete="new-password" />
      </Field>
      <Button type="submit" className="w-full" size="lg" loading={form.pending}>
        {invite ? "Create account and join" : "Create account"}
      </Button>
    </form>
  );
}
