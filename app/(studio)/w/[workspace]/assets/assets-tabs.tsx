"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

const TABS = [
  { path: "", label: "Files" },
  { path: "/characters", label: "Characters" },
] as const;

export function AssetsTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/w/${slug}/assets`;
  return (
    <nav aria-label="Assets" className="flex gap-1 overflow-x-auto border-b border-line/70 px-5 sm:px-8">
      {TABS.map((tab) => {
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
