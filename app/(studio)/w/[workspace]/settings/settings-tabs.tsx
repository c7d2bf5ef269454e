"use client";

import { TabNav } from "@/components/ui/tab-nav";

const TABS = [
  { path: "", label: "General" },
  { path: "/providers", label: "Providers" },
  { path: "/usage", label: "Usage" },
  { path: "/audit", label: "Audit log" },
  { path: "/jobs", label: "Jobs" },
] as const;

/** The tabs; the audit log and the jobs are shown only to the roles that may open them. */
export function SettingsTabs({ slug, showAudit, showJobs }: { slug: string; showAudit: boolean; showJobs: boolean }) {
  const tabs = TABS.filter((tab) => (tab.path !== "/audit" || showAudit) && (tab.path !== "/jobs" || showJobs));
  return <TabNav label="Settings" base={`/w/${slug}/settings`} tabs={tabs} />;
}
