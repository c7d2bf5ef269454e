import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/viewer";
import { getHomeWorkspaceSlug } from "@/lib/data/workspaces";

export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const slug = await getHomeWorkspaceSlug(user.id);
  // The workspace's own start page sends each role where it can work (a viewer to the gallery).
  redirect(slug ? `/w/${slug}` : "/workspaces/new");
}
