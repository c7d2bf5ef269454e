"use client";

import { useCallback, useMemo, useRef, useState, useTransition } from "react";
import type { z } from "zod";
import type { ActionResult } from "@/lib/result";
import { coversPath, firstMessages, issueMessages, valueAtPath } from "@/lib/validation/field-errors";

/**
 * The form engine: every form in the app (the settings and auth forms through useActionForm, the tool forms through
 * useToolForm) is driven by it, from the same zod schema its server action parses.
 *
 * - As the user types, the values are parsed; a field's message shows once the field (or a group containing it) has
 *   been touched, and every message shows after a submit attempt. `checks` are browser-side findings the schema can't
 *   know (a 60 fps video, a character name already taken): they block the submit like schema errors and show
 *   after a submit attempt, or once touched (`checksShow`).
 * - A submit with errors sends nothing and focuses the first invalid field in page order.
 * - The action's answer: its field errors (full dotted paths, re-rooted by `scopes` when the form edits part of the
 *   action's input) show under their fields until the value they are about changes, and win over the form's own.
 *   Its sentence shows above the form, unless the fields shown inline already say it.
 * - One submit at a time: a synchronous guard (a double click sends once) and `pending` for the whole transition,
 *   which includes the navigation after an action that redirects.
 *
 * Kept rather than react-hook-form: both kinds of form hold their values in their own shape (flat strings for the
 * settings forms, a tool's nested params assembled from pickers and uploads), so the engine only needs the parse,
 * the touched set and the server's answer; a field-registration library would add a second source of truth.
 */
export function useSchemaForm<Values, Parsed, T>({
  schema,
  values,
  input = values,
  checks,
  scopes,
  send,
  onSuccess,
  formErrorLasts = "until-submit",
  checksShow = "after-submit",
}: {
  schema: z.ZodType<Parsed>;
  /** What the form holds: its fields are paths into it (`name`, `controlNet.image`, `loras.0.weight`). */
  values: Values;
  /** What the schema parses, when it is more than the values (the workspace slug, a redirect target). */
  input?: unknown;
  checks?: Record<string, string | null | undefined>;
  /** "after-submit": the form explains its checks itself first (a tool form's input notes); "when-touched": like the schema's. */
  checksShow?: "after-submit" | "when-touched";
  /** Where the form's fields sit in the action's input (`["run.params", "params"]` for a tool form). */
  scopes?: readonly string[];
  /** Sends the parsed input; resolves to the action's answer, or nothing when it redirected or was not sent. */
  send: (data: Parsed) => Promise<ActionResult<T> | null | undefined>;
  onSuccess?: (data: T) => void;
  /** "until-change": the sentence goes once the values differ from what was refused (the tool forms). */
  formErrorLasts?: "until-submit" | "until-change";
}) {
  const parsed = useMemo(() => schema.safeParse(input), [schema, input]);
  const schemaErrors = useMemo(() => (parsed.success ? {} : issueMessages(parsed.error)), [parsed]);
  const errors = useMemo(() => {
    const out: Record<string, string> = { ...schemaErrors };
    for (const [path, message] of Object.entries(checks ?? {})) if (message && !(path in out)) out[path] = message;
    return out;
  }, [schemaErrors, checks]);
  const valid = parsed.success && Object.keys(errors).length === 0;

  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<{ values: Values; errors: Record<string, string>; message: string | null } | null>(null);
  const [pending, startTransition] = useTransition();
  const inFlight = useRef(false);

  const sameAsRefused = useCallback(
    (path: string | null) => {
      if (!server) return false;
      const before = path === null ? server.values : valueAtPath(server.values, path);
      const now = path === null ? values : valueAtPath(values, path);
      return before === now || JSON.stringify(before) === JSON.stringify(now);
    },
    [server, values],
  );

  const errorFor = useCallback(
    (path: string): string | undefined => {
      const fromServer = server?.errors[path];
      if (fromServer && sameAsRefused(path)) return fromServer;
      if (showAll) return errors[path];
      if (!coversPath(touched, path)) return undefined;
      return checksShow === "when-touched" ? errors[path] : schemaErrors[path];
    },
    [server, sameAsRefused, showAll, errors, touched, schemaErrors, checksShow],
  );
  const touch = useCallback((path: string) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path))), []);

  const formError = server?.message && (formErrorLasts === "until-submit" || sameAsRefused(null)) ? server.message : null;

  const submit = useCallback(
    /** `blocked`: the form may not be sent now (no permission, not enough credits); the attempt only reveals errors. */
    (event?: { preventDefault(): void }, { blocked = false }: { blocked?: boolean } = {}) => {
      event?.preventDefault();
      setShowAll(true);
      if (blocked || inFlight.current) return;
      setServer(null);
      if (!valid || !parsed.success) {
        focusFirstField(Object.keys(errors));
        return;
      }
      const sent = values;
      const data = parsed.data;
      inFlight.current = true;
      startTransition(async () => {
        try {
          const result = await send(data);
          if (!result) return; // redirected, or not sent
          if (result.ok) {
            setShowAll(false);
            onSuccess?.(result.data);
            return;
          }
          const fieldErrors = firstMessages(result.fieldErrors, scopes);
          const paths = Object.keys(fieldErrors);
          // The sentence goes when the fields say it: a schema refusal (its sentence is the first field's message),
          // or a refusal whose sentence is a shown field's message (a name already taken).
          const inline = paths.filter((path) => holdsField(sent, path));
          const explainedInline =
            inline.length > 0 && (result.code === "invalid_input" || inline.some((path) => fieldErrors[path] === result.error));
          setServer({ values: sent, errors: fieldErrors, message: explainedInline ? null : result.error });
          focusFirstField(paths);
        } finally {
          inFlight.current = false;
        }
      });
    },
    [valid, parsed, errors, values, send, onSuccess, scopes],
  );

  return {
    /** The parsed input when the form is valid (schema and checks), else null. */
    data: valid && parsed.success ? parsed.data : null,
    /** Every current message of the form's own checks, shown or not. */
    errors,
    errorFor,
    touch,
    formError,
    pending,
    submit,
    /** Forgets what was touched and the last answer (a form emptied after a success). */
    resetErrors: useCallback(() => {
      setTouched(new Set());
      setShowAll(false);
      setServer(null);
    }, []),
  };
}

/** Does the form hold the field a path starts at (so its message shows inline)? `prompt` for `prompt.0`. */
function holdsField(values: unknown, path: string): boolean {
  return values !== null && typeof values === "object" && Object.hasOwn(values, path.split(".")[0]!);
}

/** Moves focus to the first field (by page order) whose id is one of `paths`, and brings it into view. */
function focusFirstField(paths: string[]) {
  if (paths.length === 0 || typeof document === "undefined") return;
  requestAnimationFrame(() => {
    const elements = paths.map((p) => document.getElementById(p)).filter((e): e is HTMLElement => e !== null);
    elements.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const first = elements[0];
    if (!first) return;
    const target = first.matches("input, textarea, select, button, [tabindex]")
      ? first
      : (first.querySelector<HTMLElement>("input, textarea, select, button, [tabindex]:not([tabindex='-1'])") ?? first);
    target.focus({ preventScroll: true });
    first.scrollIntoView({ block: "center", behavior: "smooth" });
  });
}
