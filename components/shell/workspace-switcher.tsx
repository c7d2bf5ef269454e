"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Check, ChevronsUpDown, Plus, User, Users } from "lucide-react";
import type { WorkspaceSummary } from "@/lib/data/workspaces";
import { roleLabel } from "@/lib/authz";
import { cn } from "@/lib/cn";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/lazy-dropdown-menu";
import dynamic from "next/dynamic";
import { plural } from "@/lib/validation/text";

// The dialog (its form and schema) loads when it is first opened, not with every studio page.
const CreateWorkspaceDialog = dynamic(() => import("@/components/shell/create-workspace-dialog").then((m) => m.CreateWorkspaceDialog), { ssr: false });

export function WorkspaceAvatar({ name, personal, className }: { name: string; personal: boolean; className?: string }) {
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <span
      aria-hidden="true"
      className={cn("grid size-7 shrink-0 place-items-center rounded-lg text-xs font-semibold text-white", className)}
      style={{ background: `linear-gradient(135deg, hsl(${hue} 70% 58%), hsl(${(hue + 40) % 360} 70% 45%))` }}
    >
      {personal ? <User className="size-3.5" /> : name.slice(0, 1).toUpperCase()}
    </span>
  );
}

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: WorkspaceSummary[] }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const active = workspaces.find((w) => w.slug === current);

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          className="flex w-full min-w-0 items-center gap-2.5 rounded-xl px-2 py-1.5 text-left transition-colors hover:bg-surface/70 data-[state=open]:bg-surface"
          aria-label="Switch workspace"
          data-testid="workspace-switcher"
        >
          <WorkspaceAvatar name={active?.name ?? current} personal={active?.personal ?? false} />
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-semibold">{active?.name ?? current}</span>
            <span className="block truncate text-xs text-muted">
              {active ? `${roleLabel[active.role]} · ${active.personal ? "Personal" : plural(active.memberCount, "member")}` : ""}
            </span>
          </span>
          <ChevronsUpDown className="size-4 shrink-0 text-muted" />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
          {workspaces.map((w) => (
            <DropdownMenuItem key={w.slug} onSelect={() => router.push(`/w/${w.slug}`)}>
              <WorkspaceAvatar name={w.name} personal={w.personal} className="size-6" />
              <span className="min-w-0 flex-1 truncate">{w.name}</span>
              {w.slug === current ? <Check className="!text-accent" /> : w.personal ? null : <Users />}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus /> Create a team workspace
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {creating ? <CreateWorkspaceDialog open={creating} onOpenChange={setCreating} /> : null}
    </>
  );
}
