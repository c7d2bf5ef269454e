/**
 * The one path from a zod issue to a field error, used by the action wrapper (server) and every form (browser).
 *
 * A field is named by its dotted path from the root of what was parsed: `name`, `run.params.prompt`, `loras.0.weight`.
 * Field errors are `Record<path, string[]>` (the `fieldErrors` of an ActionResult); an issue about the whole input
 * (an empty path) is not a field error: it becomes the result's `error` sentence. Nothing is flattened to its
 * top-level key, so a nested form can show a message under the exact input it is about.
 *
 * Pure (no React, no server code): both sides import it.
 */
import type { z } from "zod";
import type { ActionResult, FieldErrors } from "@/lib/result";

type Issues = z.ZodError | readonly z.core.$ZodIssue[];

const issuesOf = (source: Issues): readonly z.core.$ZodIssue[] => ("issues" in source ? source.issues : source);

/** `["run", "params", "prompt"]` → `"run.params.prompt"`; array indices become digits (`loras.0.weight`). */
export function pathKey(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "symbol" ? (part.description ?? "") : String(part))).join(".");
}

/** Every issue with a path, under that path, messages in the order zod reported them (each once). */
export function fieldErrorsOf(source: Issues): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issuesOf(source)) {
    const key = pathKey(issue.path);
    if (!key) continue;
    const messages = (out[key] ??= []);
    if (!messages.includes(issue.message)) messages.push(issue.message);
  }
  return out;
}

/** The refusal an action returns for input its schema rejects: the first issue's message, and every field's. */
export function invalidInputResult(source: Issues, fallback = "Check the highlighted fields."): ActionResult<never> & { ok: false } {
  return { ok: false, code: "invalid_input", error: issuesOf(source)[0]?.message ?? fallback, fieldErrors: fieldErrorsOf(source) };
}

/**
 * The first message of each field, as a form shows them. `scopes` re-roots paths for a form that edits only part of
 * what the action parses: with `["run.params", "params"]`, `run.params.prompt` (the action's schema) and
 * `params.prompt` (the service's own parse of the run) both become `prompt`; a key naming a scope itself (`run`) is
 * about the whole part and is left to the form's message. Keys outside every scope are kept as they are.
 */
export function firstMessages(fieldErrors: FieldErrors | undefined, scopes: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    const message = messages?.[0];
    if (!message) continue;
    if (scopes.some((scope) => key === scope || scope.startsWith(`${key}.`))) continue;
    const scope = scopes.find((s) => key.startsWith(`${s}.`));
    const path = scope ? key.slice(scope.length + 1) : key;
    if (path && !(path in out)) out[path] = message;
  }
  return out;
}

/** The first message of each field with a path, straight from zod issues (a form's own check as the user types). */
export function issueMessages(source: Issues): Record<string, string> {
  return firstMessages(fieldErrorsOf(source));
}

/** Is `path`, or a field that contains it, in the set? `controlNet` covers `controlNet.image`, not the reverse. */
export function coversPath(paths: ReadonlySet<string>, path: string): boolean {
  if (paths.has(path)) return true;
  const parts = path.split(".");
  for (let i = parts.length - 1; i > 0; i--) if (paths.has(parts.slice(0, i).join("."))) return true;
  return false;
}

/** The value at a dotted path (`loras.0.weight`) inside a form's values, or undefined. */
export function valueAtPath(values: unknown, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
