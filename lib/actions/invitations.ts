"use server";

import { revalidatePath } from "next/cache";
import { userAction, workspaceAction } from "@/lib/actions/action-client";
import { acceptInvitation, createInvitation, revokeInvitation } from "@/lib/data/invitations";
import { ok } from "@/lib/result";
import { acceptInvitationSchema, createInvitationSchema, revokeInvitationSchema } from "@/lib/validation/workspaces";

export const createInvitationAction = workspaceAction("createInvitation", createInvitationSchema, "invitations:manage", async ({ input, viewer }) => {
  const invitation = await createInvitation(viewer, input);
  revalidatePath(`/w/${viewer.workspaceSlug}/settings`);
  // The token leaves the server once, here, to the admin who made it; only its hash is stored.
  return ok({ id: invitation.id, token: invitation.token, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() });
});

export const revokeInvitationAction = workspaceAction("revokeInvitation", revokeInvitationSchema, "invitations:manage", async ({ input, viewer }) => {
  await revokeInvitation(viewer, input.invitationId);
  revalidatePath(`/w/${viewer.workspaceSlug}/settings`);
  return ok(null);
});

export const acceptInvitationAction = userAction("acceptInvitation", acceptInvitationSchema, async ({ input, user }) => {
  const result = await acceptInvitation(user.id, input.token);
  revalidatePath("/", "layout");
  return ok(result);
});
