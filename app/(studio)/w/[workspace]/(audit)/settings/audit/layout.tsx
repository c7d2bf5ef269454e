import { notFound } from "next/navigation";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";

/** Only admins and owners read the audit log; anyone else gets the 404 of a page that does not exist. */
export default async function AuditLayout({ children, params }: LayoutProps<"/w/[workspace]/settings/audit">) {
  const viewer = await requireViewer((await params).workspace);
  if (!can(viewer.role, "audit:read")) notFound();
  return children;
}
