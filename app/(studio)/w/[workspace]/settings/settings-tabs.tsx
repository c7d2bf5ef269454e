"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

const TABS = [
  { path: "", label: "General" },
  { path: "/providers", label: "Providers" },
  { path: "/usage", label: "Usage" },
  { path: "/audit", label: "Audit log", audit: true },
] as const;

export function SettingsTabs({ slug, showAudit }: { slug: string; showAudit: boolean }) {
  const pathname = usePathname();
  const base = `/w/${slug}/settings`;
  return (
    <nav aria-label="Settings" className="flex gap-1 overflow-x-auto border-b border-line/70 px-5 sm:px-8">
      {TABS.filter((tab) => !("audit" in tab) || showAudit).map((tab) => {
        const href = `${base}${tab.path}`;
        const active = tab.path === "" ? pathname === base : pathname.startsWith(href);
        return (
          <Link
            key={tab.path}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2.5 text-[13px] font-medium whitespace-nowrap transition-colors",
              active ? "border-accent text-ink" : "border-transparent text-muted hover:text-ink",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
