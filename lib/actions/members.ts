"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions/action-client";
import { changeMemberRole, removeMember } from "@/lib/data/members";
import { ok } from "@/lib/result";
import { changeRoleSchema, removeMemberSchema } from "@/lib/validation/workspaces";

export const changeMemberRoleAction = workspaceAction("changeMemberRole", changeRoleSchema, "members:manage", async ({ input, viewer }) => {
  const result = await changeMemberRole(viewer, input.membershipId, input.role);
  revalidatePath(`/w/${viewer.workspaceSlug}`, "layout");
  return ok({ role: result.role });
});

// Removing yourself is leaving, which any role may do; removing someone else is checked inside removeMember.
export const removeMemberAction = workspaceAction("removeMember", removeMemberSchema, "workspace:read", async ({ input, viewer }) => {
  const result = await removeMember(viewer, input.membershipId);
  revalidatePath(`/w/${viewer.workspaceSlug}`, "layout");
  return ok(result);
});
