import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { PageBody, PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { requireViewer } from "@/lib/auth/viewer";
import { getBatch } from "@/lib/data/batches";
import { isId } from "@/lib/validation/primitives";
import { plural } from "@/lib/validation/text";
import { BatchView } from "./batch-view";

export const metadata: Metadata = { title: "Batch" };

/**
 * A batch: its progress and pause reason, pause / resume / cancel (its author, an admin or an owner), and its contact
 * sheet. Another workspace's batch, or a malformed id, is the 404 page.
 */
export default async function BatchPage({ params }: PageProps<"/w/[workspace]/batches/[batchId]">) {
  const { workspace, batchId } = await params;
  const viewer = await requireViewer(workspace);
  if (!isId(batchId)) notFound();
  const batch = await getBatch(viewer, batchId);
  if (!batch) notFound();
  const slug = viewer.workspaceSlug;
  return (
    <>
      <PageHeader
        title={batch.name}
        description={`A batch of ${plural(batch.total, "run")}${batch.author ? ` by ${batch.author}` : ""}, capped at ${plural(batch.capCredits, "credit")}.`}
        actions={
          <Button asChild variant="secondary" size="sm">
            <Link href={`/w/${slug}/batches`}>
              <ArrowLeft /> Batches
            </Link>
          </Button>
        }
      />
      <PageBody>
        <BatchView slug={slug} initial={batch} />
      </PageBody>
    </>
  );
}
