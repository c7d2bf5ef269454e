"use client";

import { useCallback, useMemo, useState } from "react";
import { toast } from "sonner";
import { toolParams, type GenerationRequest, type ToolId } from "@/lib/validation/generations";
import { coversPath, issuesByPath, serverFieldErrors } from "@/lib/generations-client/form-issues";
import { useEstimate } from "@/lib/generations-client/use-estimate";
import { useSubmitGeneration } from "@/lib/generations-client/use-submit-generation";
import { useTargetBoard } from "@/lib/gallery-client/target-board";

export type ToolForm = ReturnType<typeof useToolForm>;

/**
 * One tool's form: validates the params the form builds with the tool's shared schema as the user types (a field's
 * error shows once it has been changed or left, or after a submit), prices the run as it settles, and submits it.
 * `checks` are browser-side findings the schema can't know (a 60 fps video, an image that needs cropping): they block
 * the run like schema errors, and show inline after a submit attempt (the form shows its own explanation before).
 */
export function useToolForm({
  slug,
  tool,
  params,
  checks,
  canGenerate,
}: {
  slug: string;
  tool: ToolId;
  params: unknown;
  checks?: Record<string, string | null | undefined>;
  canGenerate: boolean;
}) {
  const parsed = useMemo(() => toolParams[tool].safeParse(params), [tool, params]);
  const paramsJson = useMemo(() => JSON.stringify(params), [params]);
  const schemaErrors = useMemo(() => (parsed.success ? {} : issuesByPath(parsed.error.issues)), [parsed]);
  const errors = useMemo(() => {
    const out: Record<string, string> = { ...schemaErrors };
    for (const [path, message] of Object.entries(checks ?? {})) if (message && !(path in out)) out[path] = message;
    return out;
  }, [schemaErrors, checks]);
  const run = useMemo(
    () => (parsed.success && Object.keys(errors).length === 0 ? ({ tool, params: parsed.data } as GenerationRequest) : null),
    [parsed, errors, tool],
  );

  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<{ forParams: string; errors: Record<string, string>; message: string | null }>({
    forParams: "",
    errors: {},
    message: null,
  });
  const estimate = useEstimate(slug, run, { enabled: canGenerate });
  const { submit, pending } = useSubmitGeneration(slug);
  const target = useTargetBoard(slug);

  const serverErrors = useMemo(() => (server.forParams === paramsJson ? server.errors : {}), [server, paramsJson]);
  const errorFor = useCallback(
    (path: string): string | undefined =>
      serverErrors[path] ?? (showAll ? errors[path] : coversPath(touched, path) ? schemaErrors[path] : undefined),
    [serverErrors, showAll, touched, errors, schemaErrors],
  );
  const touch = useCallback((path: string) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path))), []);

  const shortBy = estimate.estimate && !estimate.stale ? estimate.estimate.shortBy : null;
  const blockedReason = !canGenerate
    ? "Viewers can browse and download, but not generate."
    : shortBy && shortBy > 0
      ? `Not enough credits: this run needs ${estimate.estimate!.credits ?? "more"}, the balance is ${estimate.estimate!.balance ?? 0}.`
      : null;

  const onSubmit = useCallback(
    async (event?: { preventDefault(): void }) => {
      event?.preventDefault();
      setShowAll(true);
      if (blockedReason || pending) return;
      if (!run) {
        focusFirstError(Object.keys(errors));
        return;
      }
      setServer({ forParams: "", errors: {}, message: null });
      const result = await submit(run, target.boardId);
      if (!result) return;
      if (result.ok) {
        setShowAll(false);
        const { status, deduplicated } = result.data;
        if (status === "FAILED" || status === "REFUSED") toast.error("The run couldn't start", { description: "See why in the queue." });
        else if (deduplicated) toast("Already queued", { description: "That exact run was already submitted; it is in the queue." });
        else toast.success("Queued", { description: "Results appear in the queue as they finish." });
        return;
      }
      const fieldErrors = serverFieldErrors(result.fieldErrors);
      setServer({ forParams: paramsJson, errors: fieldErrors, message: result.error });
      focusFirstError(Object.keys(fieldErrors));
    },
    [blockedReason, pending, run, errors, submit, paramsJson, target.boardId],
  );

  return {
    run,
    errors,
    errorFor,
    touch,
    estimate,
    pending,
    blockedReason,
    /** The last refusal, while the form still holds what was refused. */
    formError: server.forParams === paramsJson ? server.message : null,
    onSubmit,
    /** The board results land in (chosen beside the Generate button). */
    target,
  };
}

/** Moves focus to the first field (by DOM order) whose id is one of `paths`, and brings it into view. */
function focusFirstError(paths: string[]) {
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
