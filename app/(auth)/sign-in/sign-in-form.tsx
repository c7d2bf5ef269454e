"use client";

import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useActionForm } from "@/lib/client/use-action-form";
import { signInAction, signInWithProviderAction } from "@/lib/actions/auth";
import { signInSchema } from "@/lib/validation/auth";

export function SignInForm({
  next,
  notice,
  providers,
}: {
  next?: string;
  notice: string | null;
  providers: { id: string; name: string }[];
}) {
  const form = useActionForm({ schema: signInSchema, action: signInAction, initialValues: { email: "", password: "" }, extra: { next } });
  const [oauthPending, startOAuth] = useTransition();

  return (
    <div className="space-y-5">
      {notice ? <p className="rounded-xl bg-surface-2 px-3.5 py-2.5 text-[13px] text-muted">{notice}</p> : null}
      {providers.length > 0 ? (
        <div className="space-y-2">
          {providers.map((p) => (
            <Button
              key={p.id}
              variant="secondary"
              className="w-full"
              loading={oauthPending}
              onClick={() => startOAuth(async () => void (await signInWithProviderAction({ provider: p.id, next })))}
            >
              Continue with {p.name}
            </Button>
          ))}
          <div className="flex items-center gap-3 py-1 text-xs text-muted">
            <span className="h-px flex-1 bg-line" /> or with email <span className="h-px flex-1 bg-line" />
          </div>
        </div>
      ) : null}
      <form onSubmit={form.submit} noValidate className="space-y-4">
        <FormError message={form.formError} />
        <Field id="email" label="Email" error={form.errorFor("email")}>
          <Input {...form.field("email")} type="email" autoComplete="email" autoFocus placeholder="you@example.com" />
        </Field>
        <Field id="password" label="Password" error={form.errorFor("password")}>
          <Input {...form.field("password")} type="password" autoComplete="current-password" />
        </Field>
        <Button type="submit" className="w-full" size="lg" loading={form.pending}>
          Sign in
        </Button>
      </form>
    </div>
  );
}
