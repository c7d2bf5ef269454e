import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { CharactersView } from "./characters-view";

export const metadata: Metadata = { title: "Characters" };

/**
 * The characters of the workspace's RenderNet account: the provider's ready-made ones and the workspace's own. They
 * are read in the browser from the catalogue (the same cached list the Image form's picker uses), so a character
 * created here is in the picker at once.
 */
export default async function CharactersPage({ params }: PageProps<"/w/[workspace]/assets/characters">) {
  const viewer = await requireViewer((await params).workspace);
  return <CharactersView slug={viewer.workspaceSlug} canManage={can(viewer.role, "character:manage")} />;
}
