"use client";

import { TabNav } from "@/components/ui/tab-nav";

const TABS = [
  { path: "", label: "Files" },
  { path: "/characters", label: "Characters" },
] as const;

export function AssetsTabs({ slug }: { slug: string }) {
  return <TabNav label="Assets" base={`/w/${slug}/assets`} tabs={TABS} />;
}
