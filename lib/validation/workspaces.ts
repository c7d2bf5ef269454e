import { z } from "zod";
import { ROLES } from "@/lib/authz";

/** Every workspace-scoped action names its workspace by slug; the action wrapper resolves it to a membership. */
export const workspaceRef = z.string().trim().min(1).max(64);

export const workspaceNameField = z
  .string({ error: "Give the workspace a name." })
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(48, "Use at most 48 characters.");

export const createWorkspaceSchema = z.object({ name: workspaceNameField });

export const renameWorkspaceSchema = z.object({ workspace: workspaceRef, name: workspaceNameField });

export const roleField = z.enum(ROLES, { error: "Choose a role." });

export const changeRoleSchema = z.object({
  workspace: workspaceRef,
  membershipId: z.string().min(1).max(64),
  role: roleField,
});

export const removeMemberSchema = z.object({ workspace: workspaceRef, membershipId: z.string().min(1).max(64) });

export const leaveWorkspaceSchema = z.object({ workspace: workspaceRef });

export const INVITE_EXPIRY_DAYS = [1, 7, 30] as const;

export const createInvitationSchema = z.object({
  workspace: workspaceRef,
  role: roleField.refine((r) => r !== "OWNER", "Invite as admin, member or viewer; promote to owner afterwards."),
  expiresInDays: z.coerce
    .number({ error: "Choose when the link expires." })
    .refine((d) => (INVITE_EXPIRY_DAYS as readonly number[]).includes(d), "Choose 1, 7 or 30 days."),
});

export const revokeInvitationSchema = z.object({ workspace: workspaceRef, invitationId: z.string().min(1).max(64) });

export const acceptInvitationSchema = z.object({ token: z.string().trim().min(16).max(200) });

export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;
export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;
