import Link from "next/link";
import { GenerationActivity } from "@/components/generate/generation-activity";
import { Logo, LogoMark } from "@/components/logo";
import { BottomNav, SidebarNav } from "@/components/shell/nav-links";
import { SandboxBadge } from "@/components/shell/sandbox-badge";
import { ShortcutsSheet } from "@/components/shell/shortcuts-sheet";
import { UserMenu } from "@/components/shell/user-menu";
import { WorkspaceSwitcher } from "@/components/shell/workspace-switcher";
import { requireUser, requireViewer } from "@/lib/auth/viewer";
import { can, workspaceHomePath } from "@/lib/authz";
import { listSandboxedProviders, PROVIDER_NAMES } from "@/lib/data/connections";
import { listWorkspacesForUser } from "@/lib/data/workspaces";

export default async function StudioLayout({ children, params }: LayoutProps<"/w/[workspace]">) {
  const { workspace: slug } = await params;
  const user = await requireUser(`/w/${slug}`);
  const viewer = await requireViewer(slug);
  const [workspaces, sandboxed] = await Promise.all([listWorkspacesForUser(user.id), listSandboxedProviders(viewer)]);
  const sandbox = { slug: viewer.workspaceSlug, providers: sandboxed.map((p) => PROVIDER_NAMES[p]), canManage: can(viewer.role, "connections:manage") };

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[260px_minmax(0,1fr)]">
      <aside className="sticky top-0 hidden h-dvh flex-col gap-6 border-r border-line/70 px-3 py-4 lg:flex">
        <Link href={workspaceHomePath(viewer.workspaceSlug, viewer.role)} className="px-2">
          <Logo />
        </Link>
        <WorkspaceSwitcher current={viewer.workspaceSlug} workspaces={workspaces} />
        <SidebarNav slug={viewer.workspaceSlug} />
        <div className="mt-auto space-y-3">
          <SandboxBadge {...sandbox} variant="sidebar" />
          <UserMenu name={user.name} email={user.email} />
        </div>
      </aside>
      <header className="sticky top-0 z-30 flex items-center gap-2.5 border-b border-line/70 bg-canvas/90 px-4 py-2.5 backdrop-blur lg:hidden">
        <Link href={workspaceHomePath(viewer.workspaceSlug, viewer.role)} aria-label="Atelier home">
          <LogoMark />
        </Link>
        <div className="min-w-0 flex-1">
          <WorkspaceSwitcher current={viewer.workspaceSlug} workspaces={workspaces} />
        </div>
        <SandboxBadge {...sandbox} variant="compact" />
        <UserMenu name={user.name} email={user.email} compact />
      </header>
      {/* Room below the content for the fixed tab bar (its height plus the home indicator's inset), so nothing hides under it. */}
      <main className="min-w-0 pb-[calc(6rem+env(safe-area-inset-bottom))] lg:pb-0">{children}</main>
      <BottomNav slug={viewer.workspaceSlug} />
      <GenerationActivity slug={viewer.workspaceSlug} />
      <ShortcutsSheet />
    </div>
  );
}
