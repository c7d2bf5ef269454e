"use client";

import { useCallback, useMemo, useState, type ChangeEvent } from "react";
import type { z } from "zod";
import type { ActionResult } from "@/lib/result";
import { useSchemaForm } from "@/lib/client/use-schema-form";

type Values = Record<string, string>;

/**
 * A form of plain text fields (sign-in, settings, boards) on the form engine (use-schema-form.ts): it holds the
 * values, binds each input with `field(name)`, and sends `{ ...extra, ...values }` to the action, whose schema the
 * engine parses as the user types.
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
  const input = useMemo(() => ({ ...extra, ...values }), [extra, values]);
  // The raw values go to the action, which parses them again (authoritatively) with the same schema.
  const form = useSchemaForm({ schema, values, input, send: () => action(input), onSuccess });
  const { errorFor, touch } = form;

  const setValue = useCallback((name: string, value: string) => setValues((v) => ({ ...v, [name]: value })), []);

  const field = (name: string) => ({
    id: name,
    name,
    value: values[name] ?? "",
    invalid: Boolean(errorFor(name)),
    "aria-describedby": errorFor(name) ? `${name}-error` : undefined,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setValue(name, e.target.value),
    onBlur: () => touch(name),
  });

  return {
    values,
    setValue,
    field,
    errorFor,
    formError: form.formError,
    pending: form.pending,
    submit: form.submit,
    /** Back to the initial values, with nothing touched and no answer shown (a form kept open after a success). */
    reset: () => {
      setValues(initialValues);
      form.resetErrors();
    },
  };
}
