"use server";

import { workspaceAction } from "@/lib/actions/action-client";
import { cancelGeneration } from "@/lib/generations/cancel";
import { estimateVariation } from "@/lib/generations/estimate";
import { retryGeneration, submitGeneration, varyGeneration } from "@/lib/generations/submit";
import { ok } from "@/lib/result";
import {
  cancelGenerationSchema,
  estimateVariationSchema,
  retryGenerationSchema,
  submitGenerationSchema,
  varyGenerationSchema,
} from "@/lib/validation/generations";

/**
 * The generation studio's public endpoints. Thin on purpose: the wrapper parses the run with the forms' schema and
 * checks `generation:create`; the service resolves inputs inside the viewer's workspace, prices, records and queues.
 * Nothing is revalidated here: a run finishes later, and the queue panel polls for it. Estimates are a route
 * (app/api/w/[workspace]/generations/estimate): Next runs a page's actions one at a time, and an estimate waiting for
 * the provider would hold the Generate click up behind it.
 */

export const submitGenerationAction = workspaceAction("submitGeneration", submitGenerationSchema, "generation:create", async ({ input, viewer }) =>
  ok(await submitGeneration(viewer, { idempotencyKey: input.idempotencyKey, boardId: input.boardId, run: input.run })),
);

export const retryGenerationAction = workspaceAction("retryGeneration", retryGenerationSchema, "generation:create", async ({ input, viewer }) =>
  ok(await retryGeneration(viewer, input.generationId, input.idempotencyKey)),
);

export const varyGenerationAction = workspaceAction("varyGeneration", varyGenerationSchema, "generation:create", async ({ input, viewer }) =>
  ok(await varyGeneration(viewer, input.generationId, input.idempotencyKey)),
);

export const estimateVariationAction = workspaceAction("estimateVariation", estimateVariationSchema, "generation:create", async ({ input, viewer }) =>
  ok(await estimateVariation(viewer, input.generationId)),
);

/** The author, an admin or an owner (checked by the service: a member may cancel only their own runs). */
export const cancelGenerationAction = workspaceAction("cancelGeneration", cancelGenerationSchema, "generation:create", async ({ input, viewer }) =>
  ok(await cancelGeneration(viewer, input.generationId)),
);
