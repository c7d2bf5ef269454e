import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/viewer";
import { getHomePath } from "@/lib/data/workspaces";

export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  // Straight to where this person works in their home workspace (a viewer to its gallery), in one redirect.
  redirect(await getHomePath(user.id));
}
