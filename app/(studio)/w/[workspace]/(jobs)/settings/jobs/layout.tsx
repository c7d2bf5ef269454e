import { forbidden } from "next/navigation";
import { recordDenial } from "@/lib/data/denials";
import { requireViewer } from "@/lib/auth/viewer";
import { can, minimumRoleOf } from "@/lib/authz";

/**
 * Only admins and owners see the jobs; another member gets the 403 page (and a row in the audit log). Someone outside
 * the workspace never gets this far: requireViewer answers them with the 404 of a page that does not exist.
 */
export default async function JobsLayout({ children, params }: LayoutProps<"/w/[workspace]/settings/jobs">) {
  const viewer = await requireViewer((await params).workspace);
  if (!can(viewer.role, "jobs:read")) {
    void recordDenial({
      kind: "forbidden",
      workspaceId: viewer.workspaceId,
      actorId: viewer.userId,
      what: "the jobs page",
      details: { role: viewer.role, needs: minimumRoleOf("jobs:read") },
    });
    forbidden();
  }
  return children;
}
