import "server-only";
import { reportForeignIds } from "@/lib/data/denials";
import type { Viewer } from "@/lib/authz";
import { findRecordedRun } from "@/lib/data/generations";
import { parseRun } from "@/lib/generations/user-errors";
import { NotFoundError, UserError } from "@/lib/result";
import type { GenerationRequest } from "@/lib/validation/generations";

/**
 * A run of the viewer's workspace as it was recorded, to vary (lib/generations/submit.ts) or to price its variation
 * (lib/generations/estimate.ts); another workspace's id answers like a missing one.
 */
export async function recordedRun(viewer: Viewer, generationId: string, what: string) {
  const recorded = await findRecordedRun(viewer.workspaceId, generationId);
  if (!recorded) {
    reportForeignIds(viewer, "generation", [generationId], what);
    throw new NotFoundError("That run");
  }
  const { id, tool, params, boardId } = recorded;
  let run: GenerationRequest;
  try {
    run = parseRun({ tool, params });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError("This run's settings can't be used again as they are; open Reuse settings to check them.", "invalid_input");
  }
  return { id, tool, params, boardId, run };
}
