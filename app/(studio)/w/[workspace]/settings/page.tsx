import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { assignableRoles, can, canManageMember } from "@/lib/authz";
import { listPendingInvitations } from "@/lib/data/invitations";
import { listMembers } from "@/lib/data/members";
import { GeneralSettings } from "./general-settings";
import { Invitations } from "./invitations";
import { Members } from "./members";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: PageProps<"/w/[workspace]/settings">) {
  const viewer = await requireViewer((await params).workspace);
  const canInvite = can(viewer.role, "invitations:manage");
  const [members, invitations] = await Promise.all([listMembers(viewer), canInvite ? listPendingInvitations(viewer) : []]);

  return (
    <div className="mx-auto max-w-3xl space-y-10">
          <GeneralSettings
            workspace={viewer.workspaceSlug}
            name={viewer.workspaceName}
            personal={viewer.personal}
            canEdit={can(viewer.role, "workspace:update")}
          />
          <Members
            workspace={viewer.workspaceSlug}
            personal={viewer.personal}
            assignable={assignableRoles(viewer.role)}
            members={members.map((m) => ({
              membershipId: m.membershipId,
              name: m.name,
              email: m.email,
              role: m.role,
              joinedAt: m.joinedAt.toISOString(),
              isYou: m.isYou,
              manageable: !m.isYou && canManageMember(viewer.role, m.role),
            }))}
          />
          {canInvite ? (
            <Invitations
              workspace={viewer.workspaceSlug}
              assignable={assignableRoles(viewer.role).filter((r) => r !== "OWNER")}
              pending={invitations.map((i) => ({ id: i.id, role: i.role, createdBy: i.createdBy, expiresAt: i.expiresAt.toISOString() }))}
            />
          ) : null}
    </div>
  );
}
