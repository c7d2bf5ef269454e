import { PageHeader } from "@/components/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { SettingsTabs } from "./settings-tabs";

/** Settings: one header and a tab per area; each tab is its own page (and loads only what it shows). */
export default async function SettingsLayout({ children, params }: LayoutProps<"/w/[workspace]/settings">) {
  const viewer = await requireViewer((await params).workspace);
  return (
    <>
      <PageHeader title="Settings" description={`Workspace settings for ${viewer.workspaceName}.`} />
      <SettingsTabs slug={viewer.workspaceSlug} showAudit={can(viewer.role, "audit:read")} showJobs={can(viewer.role, "jobs:read")} />
      <div className="px-5 py-6 sm:px-8">{children}</div>
    </>
  );
}
