/** Turns zod issues and action field errors into one message per field path ("controlNet.image"). */
import type { z } from "zod";
import type { FieldErrors } from "@/lib/result";

export function issuesByPath(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join(".");
    if (path && !(path in out)) out[path] = issue.message;
  }
  return out;
}

/** The action reports the run's fields under `run.params.<field>` (or `params.` / bare); forms name them bare. */
export function serverFieldErrors(fieldErrors: FieldErrors | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    const message = messages?.[0];
    if (!message) continue;
    const path = key.replace(/^run\.params\./, "").replace(/^params\./, "");
    if (path && path !== "run" && !(path in out)) out[path] = message;
  }
  return out;
}

/** Is `path` (or a field inside it) in the set? "controlNet" covers "controlNet.image". */
export function coversPath(paths: ReadonlySet<string>, path: string): boolean {
  if (paths.has(path)) return true;
  const parts = path.split(".");
  for (let i = parts.length - 1; i > 0; i--) if (paths.has(parts.slice(0, i).join("."))) return true;
  return false;
}
