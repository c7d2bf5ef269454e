"use client";

import { TabNav } from "@/components/ui/tab-nav";

const TABS = [
  { path: "", label: "General" },
  { path: "/providers", label: "Providers" },
  { path: "/usage", label: "Usage" },
  { path: "/audit", label: "Audit log" },
] as const;

export function SettingsTabs({ slug, showAudit }: { slug: string; showAudit: boolean }) {
  return <TabNav label="Settings" base={`/w/${slug}/settings`} tabs={showAudit ? TABS : TABS.filter((tab) => tab.path !== "/audit")} />;
}
