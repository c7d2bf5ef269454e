import { forbidden } from "next/navigation";
import { recordDenial } from "@/lib/data/denials";
import { requireViewer } from "@/lib/auth/viewer";
import { can, minimumRoleOf } from "@/lib/authz";

/**
 * Only admins and owners read the audit log; another member gets the 403 page (and a row in the log). Someone outside
 * the workspace never gets this far: requireViewer answers them with the 404 of a page that does not exist.
 */
export default async function AuditLayout({ children, params }: LayoutProps<"/w/[workspace]/settings/audit">) {
  const viewer = await requireViewer((await params).workspace);
  if (!can(viewer.role, "audit:read")) {
    void recordDenial({
      kind: "forbidden",
      workspaceId: viewer.workspaceId,
      actorId: viewer.userId,
      what: "the audit log page",
      details: { role: viewer.role, needs: minimumRoleOf("audit:read") },
    });
    forbidden();
  }
  return children;
}
