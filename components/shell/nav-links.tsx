"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { FolderOpen, Images, Settings, Sparkles } from "lucide-react";
import { cn } from "@/lib/cn";

export const sections = [
  { key: "generate", label: "Generate", icon: Sparkles },
  { key: "gallery", label: "Gallery", icon: Images },
  { key: "assets", label: "Assets", icon: FolderOpen },
  { key: "settings", label: "Settings", icon: Settings },
] as const;

export function SidebarNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Studio" className="space-y-0.5">
      {sections.map(({ key, label, icon: Icon }) => {
        const href = `/w/${slug}/${key}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={key}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-xl px-3 py-2 text-sm font-medium transition-colors",
              active ? "bg-surface text-ink shadow-card ring-1 ring-line" : "text-muted hover:bg-surface/60 hover:text-ink",
            )}
          >
            <Icon className={cn("size-[18px]", active ? "text-accent" : "")} />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

export function BottomNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  return (
    <nav
      aria-label="Studio sections"
      className="fixed inset-x-0 bottom-0 z-30 grid grid-cols-4 border-t border-line bg-surface/95 pb-[env(safe-area-inset-bottom)] backdrop-blur lg:hidden"
    >
      {sections.map(({ key, label, icon: Icon }) => {
        const href = `/w/${slug}/${key}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={key}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn("flex flex-col items-center gap-1 py-2.5 text-[11px] font-medium", active ? "text-accent" : "text-muted")}
          >
            <Icon className="size-5" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
