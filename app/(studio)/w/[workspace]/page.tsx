import { notFound, redirect } from "next/navigation";
import { isWorkspaceSlug } from "@/lib/validation/primitives";

export default async function WorkspaceIndex({ params }: PageProps<"/w/[workspace]">) {
  const { workspace } = await params;
  // The slug goes into a Location header: anything but a real slug's characters would make that header invalid.
  if (!isWorkspaceSlug(workspace)) notFound();
  redirect(`/w/${workspace}/generate`);
}
