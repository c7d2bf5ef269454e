"use client";

import { useCallback, useMemo, useState, useTransition, type ChangeEvent, type FormEvent } from "react";
import type { z } from "zod";
import type { ActionResult } from "@/lib/result";

type Values = Record<string, string>;

/**
 * Drives a form from the same zod schema its server action parses: inline errors once a field has been touched,
 * every field checked on submit, then the action's answer (its field errors win, its message shows above the form).
 */
export function useActionForm<T>({
  schema,
  action,
  initialValues,
  extra,
  onSuccess,
}: {
  schema: z.ZodType;
  action: (input: Record<string, unknown>) => Promise<ActionResult<T>>;
  initialValues: Values;
  extra?: Record<string, unknown>;
  onSuccess?: (data: T) => void;
}) {
  const [values, setValues] = useState<Values>(initialValues);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const clientErrors = useMemo(() => {
    const parsed = schema.safeParse({ ...extra, ...values });
    const out: Record<string, string> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "");
        if (key && !out[key]) out[key] = issue.message;
      }
    }
    return out;
  }, [schema, values, extra]);

  const errorFor = (name: string) => serverErrors[name] ?? (touched[name] ? clientErrors[name] : undefined);

  const setValue = useCallback((name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setServerErrors((e) => ({ ...e, [name]: undefined }));
  }, []);

  const field = (name: string) => ({
    id: name,
    name,
    value: values[name] ?? "",
    invalid: Boolean(errorFor(name)),
    "aria-describedby": errorFor(name) ? `${name}-error` : undefined,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setValue(name, e.target.value),
    onBlur: () => setTouched((t) => ({ ...t, [name]: true })),
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    setTouched(Object.fromEntries(Object.keys(values).map((k) => [k, true])));
    setFormError(null);
    if (Object.keys(clientErrors).length > 0) {
      const first = Object.keys(values).find((k) => clientErrors[k]);
      if (first) document.getElementById(first)?.focus();
      return;
    }
    startTransition(async () => {
      const result = await action({ ...extra, ...values });
      if (!result) return; // the action redirected
      if (result.ok) {
        setServerErrors({});
        onSuccess?.(result.data);
      } else {
        const fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors ?? {}).map(([k, v]) => [k, v?.[0]]));
        setServerErrors(fieldErrors);
        const fieldKeys = Object.keys(fieldErrors).filter((k) => k in values);
        setFormError(fieldKeys.length > 0 && result.code === "invalid_input" ? null : result.error);
      }
    });
  };

  return { values, setValue, field, errorFor, formError, setFormError, pending, submit, reset: () => setValues(initialValues) };
}
