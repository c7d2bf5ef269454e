import type { Metadata } from "next";
import Link from "next/link";
import { ArrowUpRight, Lock } from "lucide-react";
import { PageBody, PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { QueuePanel } from "@/components/generate/queue-panel";
import { TOOL_LIST, toolHref, type ToolInfo } from "@/components/generate/tools";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { cn } from "@/lib/cn";

export const metadata: Metadata = { title: "Generate" };

export default async function GeneratePage({ params }: PageProps<"/w/[workspace]/generate">) {
  const viewer = await requireViewer((await params).workspace);
  const canGenerate = can(viewer.role, "generation:create");
  return (
    <>
      <PageHeader
        title="Generate"
        description={
          canGenerate
            ? "Pick a tool. Every run is saved to the workspace gallery."
            : "You're a viewer here: you can browse runs and download results, but not generate."
        }
      />
      <PageBody>
        <div className="space-y-10">
          <ul className="grid gap-3 sm:grid-cols-2 sm:gap-4 xl:grid-cols-3" aria-label="Tools">
            {TOOL_LIST.map((tool) => (
              <li key={tool.id}>
                <ToolCard tool={tool} href={canGenerate ? toolHref(viewer.workspaceSlug, tool.id) : null} />
              </li>
            ))}
          </ul>
          <div className="max-w-4xl">
            <QueuePanel slug={viewer.workspaceSlug} canGenerate={canGenerate} />
          </div>
        </div>
      </PageBody>
    </>
  );
}

function ToolCard({ tool, href }: { tool: ToolInfo; href: string | null }) {
  const Icon = tool.icon;
  const tint = {
    background: `radial-gradient(120% 140% at 0% 0%, hsl(${tool.hue} 85% 60% / 0.22), transparent 60%), radial-gradient(90% 120% at 100% 100%, hsl(${(tool.hue + 40) % 360} 85% 60% / 0.14), transparent 55%)`,
  };
  const body = (
    <>
      <div className="relative flex h-24 items-end justify-between overflow-hidden border-b border-line/60 px-5 pb-4" style={href ? tint : undefined}>
        <span
          className={cn("grid size-11 place-items-center rounded-xl shadow-sm ring-1 ring-inset", href ? "bg-surface text-ink ring-line/70" : "bg-surface-2 text-muted ring-line/50")}
          style={href ? { color: `hsl(${tool.hue} 70% 50%)` } : undefined}
        >
          <Icon className="size-5" aria-hidden="true" />
        </span>
        <Badge className="bg-surface/80 backdrop-blur">{tool.provider}</Badge>
      </div>
      <div className="flex flex-1 flex-col gap-1 px-5 pt-4 pb-5">
        <h2 className="flex items-center gap-1.5 font-semibold">
          {tool.name}
          {href ? (
            <ArrowUpRight className="size-4 text-muted opacity-0 transition group-hover:translate-x-0.5 group-hover:-translate-y-0.5 group-hover:opacity-100 group-focus-visible:opacity-100" aria-hidden="true" />
          ) : null}
        </h2>
        <p className="text-sm text-muted">{tool.description}</p>
        {href ? null : (
          <p className="mt-auto flex items-center gap-1.5 pt-3 text-xs text-muted">
            <Lock className="size-3.5" aria-hidden="true" /> Members and above can generate
          </p>
        )}
      </div>
    </>
  );
  const frame = "flex h-full flex-col overflow-hidden rounded-2xl border border-line bg-surface shadow-card";
  if (!href) {
    return (
      <div aria-disabled="true" className={cn(frame, "opacity-80")}>
        {body}
      </div>
    );
  }
  return (
    <Link
      href={href}
      className={cn(frame, "group transition duration-200 hover:-translate-y-0.5 hover:border-ink/15 hover:shadow-pop focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent")}
    >
      {body}
    </Link>
  );
}
