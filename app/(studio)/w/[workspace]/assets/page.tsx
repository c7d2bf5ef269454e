import type { Metadata } from "next";
import { requireUser, requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { listAssetLibrary } from "@/lib/data/assets";
import { assetKindOf, parseAssetType } from "@/lib/validation/assets";
import { AssetLibrary } from "./asset-library";

export const metadata: Metadata = { title: "Assets" };

/**
 * The asset library: the first page of the type in the URL is read here, so the grid paints with its first previews
 * in the HTML; filtering, scrolling, uploading and deleting then go through the list API and react-query.
 */
export default async function AssetsPage({ params, searchParams }: PageProps<"/w/[workspace]/assets">) {
  const { workspace } = await params;
  const user = await requireUser(`/w/${workspace}/assets`);
  const viewer = await requireViewer(workspace);
  const raw = (await searchParams).type;
  const type = parseAssetType(typeof raw === "string" ? raw : null);
  const page = await listAssetLibrary(viewer, { kind: assetKindOf(type) });
  return (
    <AssetLibrary
      slug={viewer.workspaceSlug}
      initial={{ type, page }}
      permissions={{ upload: can(viewer.role, "generation:create"), remove: can(viewer.role, "asset:delete") }}
      viewerName={user.name ?? user.email}
    />
  );
}
