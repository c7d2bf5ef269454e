"use server";

import { revalidatePath } from "next/cache";
import { userAction, workspaceAction } from "@/lib/actions/action-client";
import { createTeamWorkspace, renameWorkspace } from "@/lib/data/workspaces";
import { leaveWorkspace } from "@/lib/data/members";
import { ok } from "@/lib/result";
import { createWorkspaceSchema, leaveWorkspaceSchema, renameWorkspaceSchema } from "@/lib/validation/workspaces";

export const createWorkspaceAction = userAction("createWorkspace", createWorkspaceSchema, async ({ input, user }) => {
  const workspace = await createTeamWorkspace(user.id, input.name);
  return ok({ slug: workspace.slug });
});

export const renameWorkspaceAction = workspaceAction("renameWorkspace", renameWorkspaceSchema, "workspace:update", async ({ input, viewer }) => {
  await renameWorkspace(viewer, input.name);
  revalidatePath(`/w/${viewer.workspaceSlug}`, "layout");
  return ok({ name: input.name });
});

export const leaveWorkspaceAction = workspaceAction("leaveWorkspace", leaveWorkspaceSchema, "workspace:read", async ({ viewer }) => {
  await leaveWorkspace(viewer);
  revalidatePath("/", "layout");
  return ok(null);
});
