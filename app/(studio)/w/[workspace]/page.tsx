import { notFound, redirect } from "next/navigation";
import { requireViewer } from "@/lib/auth/viewer";
import { workspaceHomePath } from "@/lib/authz";
import { isWorkspaceSlug } from "@/lib/validation/primitives";

/** The workspace's start page: the tools for those who may generate, the gallery for a viewer (who may not). */
export default async function WorkspaceIndex({ params }: PageProps<"/w/[workspace]">) {
  const { workspace } = await params;
  // The slug goes into a Location header: anything but a real slug's characters would make that header invalid.
  if (!isWorkspaceSlug(workspace)) notFound();
  const viewer = await requireViewer(workspace);
  redirect(workspaceHomePath(viewer.workspaceSlug, viewer.role));
}
