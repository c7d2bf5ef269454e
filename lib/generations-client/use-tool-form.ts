"use client";

import { useCallback, useMemo } from "react";
import { toast } from "@/lib/client/toast";
import type { z } from "zod";
import type { SubmitResultDTO } from "@/lib/generations/types";
import { toolParams, type GenerationRequest, type ToolId } from "@/lib/validation/generations";
import { useSchemaForm } from "@/lib/client/use-schema-form";
import { useEstimate } from "@/lib/generations-client/use-estimate";
import { useSubmitGeneration } from "@/lib/generations-client/use-submit-generation";
import { useTargetBoard } from "@/lib/gallery-client/target-board";

export type ToolForm = ReturnType<typeof useToolForm>;

/**
 * One tool's form on the form engine (lib/client/use-schema-form.ts): the params the form builds are checked with the
 * tool's shared schema as the user types (a field's error shows once it has been changed or left, or after a submit),
 * the run is priced as it settles, and submitted with its idempotency key (useSubmitGeneration). `checks` are
 * browser-side findings the schema can't know (a 60 fps video, an image that needs cropping): they block the run like
 * schema errors, and show inline after a submit attempt (the form shows its own explanation before). The action's
 * refusal of a field (`run.params.prompt`) shows under that field (`prompt`).
 */
export function useToolForm({
  slug,
  tool,
  params,
  checks,
  canGenerate,
  waitingFor = null,
  alerts,
}: {
  slug: string;
  tool: ToolId;
  params: unknown;
  checks?: Record<string, string | null | undefined>;
  /**
   * Like `checks`, but shown under their fields at once, without waiting for a touch or a submit: what the form
   * already knows the provider would refuse (a preset's model the catalogue no longer lists).
   */
  alerts?: Record<string, string>;
  canGenerate: boolean;
  /**
   * What the form is still loading before it is complete (the catalogue its default model comes from), as the
   * button's label: "Loading models…". Until then Generate waits, so a click can't land on a half-filled form.
   */
  waitingFor?: string | null;
}) {
  const schema = toolParams[tool] as z.ZodType<GenerationRequest["params"]>;
  const { submit, pending: sending } = useSubmitGeneration(slug);
  const target = useTargetBoard(slug);

  const allChecks = useMemo(() => (alerts && Object.keys(alerts).length > 0 ? { ...checks, ...alerts } : checks), [checks, alerts]);
  const form = useSchemaForm({
    schema,
    values: params,
    checks: allChecks,
    // The action parses `{ workspace, idempotencyKey, boardId, run: { tool, params } }`; the service parses the run.
    scopes: RUN_PARAMS_SCOPES,
    send: (data) => submit({ tool, params: data } as GenerationRequest, target.boardId),
    onSuccess: onQueued,
    formErrorLasts: "until-change",
  });
  const run = useMemo(() => (form.data ? ({ tool, params: form.data } as GenerationRequest) : null), [form.data, tool]);
  const estimate = useEstimate(slug, run, { enabled: canGenerate });

  const current = estimate.estimate && !estimate.stale ? estimate.estimate : null;
  const shortBy = current?.shortBy ?? null;
  // The budget's warning is the submit's own rule previewed (lib/usage/budgets.ts): a run it names would only be
  // refused after the click, so Generate waits until the form changes or an owner raises the budget.
  const overBudget = current?.budget?.warning ?? null;
  const blockedReason = !canGenerate
    ? "Viewers can browse and download, but not generate."
    : shortBy && shortBy > 0
      ? `Not enough credits: this run needs ${current!.credits ?? "more"}, the balance is ${current!.balance ?? 0}.`
      : overBudget;

  const { submit: submitForm } = form;
  // A blocked submit still reveals every field's message.
  const onSubmit = useCallback(
    (event?: { preventDefault(): void }) => submitForm(event, { blocked: Boolean(blockedReason) || Boolean(waitingFor) || sending }),
    [blockedReason, waitingFor, sending, submitForm],
  );

  const { errorFor: formErrorFor } = form;
  const errorFor = useCallback((path: string) => alerts?.[path] ?? formErrorFor(path), [alerts, formErrorFor]);

  return {
    run,
    errors: form.errors,
    errorFor,
    touch: form.touch,
    estimate,
    pending: form.pending || sending,
    blockedReason,
    /** What the form is still loading (see the option): the button says so and waits. */
    waitingFor: canGenerate ? waitingFor : null,
    /** The last refusal, while the form still holds what was refused. */
    formError: form.formError,
    onSubmit,
    /** The board results land in (chosen beside the Generate button). */
    target,
  };
}

/** Where a tool form's fields sit in what the submit action and the service parse. */
const RUN_PARAMS_SCOPES = ["run.params", "params"];

function onQueued({ status, deduplicated }: SubmitResultDTO) {
  if (status === "FAILED" || status === "REFUSED") toast.error("The run couldn't start", { description: "See why in the queue." });
  else if (deduplicated) toast("Already queued", { description: "That exact run was already submitted; it is in the queue." });
  else toast.success("Queued", { description: "Results appear in the queue as they finish." });
}
