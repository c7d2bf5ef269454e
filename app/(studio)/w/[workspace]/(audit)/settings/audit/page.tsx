import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { listAuditActors, listAuditEvents } from "@/lib/data/audit";
import { auditParamsOf, parseAuditParams } from "@/lib/validation/audit";
import { AuditLog } from "./audit-log";

export const metadata: Metadata = { title: "Audit log" };

/**
 * The audit log (admins and owners). Another member gets the 403 page (the tab is hidden from them); a non-member
 * the 404 of a missing page. The first page of the view in the URL is read here; filters and later pages come
 * from /api/w/<slug>/audit.
 */
export default async function AuditPage({ params, searchParams }: PageProps<"/w/[workspace]/settings/audit">) {
  const viewer = await requireViewer((await params).workspace);
  if (!can(viewer.role, "audit:read")) forbidden();
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) if (typeof value === "string") search.set(key, value);
  const { filters, problems } = parseAuditParams(search);
  const [page, actors] = await Promise.all([listAuditEvents(viewer, filters), listAuditActors(viewer)]);
  return (
    <AuditLog
      slug={viewer.workspaceSlug}
      workspaceName={viewer.workspaceName}
      initial={{ view: auditParamsOf(filters).toString(), page }}
      actors={actors}
      problems={problems}
    />
  );
}
