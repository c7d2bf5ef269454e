import type { Metadata } from "next";
import Link from "next/link";
import { Grid3x3 } from "lucide-react";
import { PageBody, PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { requireViewer } from "@/lib/auth/viewer";
import { listBatches } from "@/lib/data/batches";
import { plural } from "@/lib/validation/text";

export const metadata: Metadata = { title: "Batches" };

const STATE_LABEL = { RUNNING: "Running", PAUSED: "Paused", CANCELLED: "Cancelled", DONE: "Done" } as const;

/** The workspace's newest batches, each linking to its page (progress and contact sheet). */
export default async function BatchesPage({ params }: PageProps<"/w/[workspace]/batches">) {
  const viewer = await requireViewer((await params).workspace);
  const batches = await listBatches(viewer, 50);
  const slug = viewer.workspaceSlug;
  return (
    <>
      <PageHeader title="Batches" description="Matrices of Image runs, each with its progress and contact sheet. Start one from the Image tool (Batch…)." />
      <PageBody>
        {batches.length === 0 ? (
          <EmptyState icon={Grid3x3} title="No batches yet">
            In the Image tool, Batch… crosses the form&apos;s settings with several prompts, models, aspect ratios and seeds.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-line/70 rounded-2xl border border-line bg-surface">
            {batches.map((batch) => (
              <li key={batch.id}>
                <Link href={`/w/${slug}/batches/${batch.id}`} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 hover:bg-surface-2/60">
                  <span className="min-w-0 truncate font-medium">{batch.name}</span>
                  <span className="flex items-center gap-2 text-[13px] text-muted">
                    {Math.min(batch.nextCell, batch.total)} of {plural(batch.total, "run")} submitted
                    <Badge>{STATE_LABEL[batch.state]}</Badge>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </PageBody>
    </>
  );
}
