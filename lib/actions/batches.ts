"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions/action-client";
import { cancelBatch, pauseBatch, resumeBatch, startBatch } from "@/lib/generations/batches/batches";
import { ok } from "@/lib/result";
import { cancelBatchSchema, pauseBatchSchema, resumeBatchSchema, startBatchSchema } from "@/lib/validation/batches";

/**
 * The batch matrix's endpoints. Thin: the wrapper parses with the batch panel's schema and checks the permission;
 * the service (lib/generations/batches/batches.ts) checks who may change the batch (its author, an admin or an
 * owner), keeps the query in the workspace and writes the audit entry. Planning is a route
 * (app/api/w/[workspace]/batches/plan) for the estimate route's reason.
 */

export const startBatchAction = workspaceAction("startBatch", startBatchSchema, "generation:create", async ({ input, viewer }) => {
  const started = await startBatch(viewer, { name: input.name, capCredits: input.capCredits, plan: input.plan });
  revalidatePath(`/w/${viewer.workspaceSlug}/gallery`);
  return ok(started);
});

export const pauseBatchAction = workspaceAction("pauseBatch", pauseBatchSchema, "generation:create", async ({ input, viewer }) => {
  await pauseBatch(viewer, input.batchId);
  return ok(null);
});

export const resumeBatchAction = workspaceAction("resumeBatch", resumeBatchSchema, "generation:create", async ({ input, viewer }) => {
  await resumeBatch(viewer, input.batchId, input.capCredits);
  return ok(null);
});

export const cancelBatchAction = workspaceAction("cancelBatch", cancelBatchSchema, "generation:create", async ({ input, viewer }) => {
  await cancelBatch(viewer, input.batchId);
  return ok(null);
});
