import type { Metadata } from "next";
import { FolderOpen } from "lucide-react";
import { PageBody, PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireViewer } from "@/lib/auth/viewer";

export const metadata: Metadata = { title: "Assets" };

export default async function AssetsPage({ params }: PageProps<"/w/[workspace]/assets">) {
  await requireViewer((await params).workspace);
  return (
    <>
      <PageHeader title="Assets" description="Images, videos and audio your team uses as inputs." />
      <PageBody>
        <EmptyState icon={FolderOpen} title="No assets yet">
          Reference images, face photos, narrator videos and voice tracks will be kept here for every tool to use.
        </EmptyState>
      </PageBody>
    </>
  );
}
