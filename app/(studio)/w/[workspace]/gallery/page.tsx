import type { Metadata } from "next";
import { Images } from "lucide-react";
import { PageBody, PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { listBoards } from "@/lib/data/boards";
import { Boards } from "./boards";

export const metadata: Metadata = { title: "Gallery" };

export default async function GalleryPage({ params }: PageProps<"/w/[workspace]/gallery">) {
  const viewer = await requireViewer((await params).workspace);
  const boards = await listBoards(viewer);
  return (
    <>
      <PageHeader title="Gallery" description={`Everything generated in ${viewer.workspaceName}.`} />
      <PageBody>
        <div className="grid gap-8 xl:grid-cols-[minmax(0,1fr)_280px]">
          <EmptyState icon={Images} title="Nothing generated yet">
            Every image and video made in this workspace will appear here, with its prompt and settings, for the whole team.
          </EmptyState>
          <Boards
            workspace={viewer.workspaceSlug}
            canEdit={can(viewer.role, "board:edit")}
            boards={boards.map((b) => ({ id: b.id, name: b.name, createdBy: b.createdBy }))}
          />
        </div>
      </PageBody>
    </>
  );
}
