import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { getGalleryFacets, listGallery } from "@/lib/data/gallery";
import { galleryParamsOf, parseGalleryParams } from "@/lib/validation/gallery";
import { GalleryView } from "./gallery-view";

export const metadata: Metadata = { title: "Gallery" };

/**
 * The gallery: the first page of the view in the URL and the filter bar's choices are read here, so the grid paints
 * with the first thumbnails already in the HTML; scrolling, filtering and searching then read the list API.
 */
export default async function GalleryPage({ params, searchParams }: PageProps<"/w/[workspace]/gallery">) {
  const viewer = await requireViewer((await params).workspace);
  const query = await searchParams;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (typeof value === "string") search.set(key, value);
  const { filters, problems } = parseGalleryParams(search);
  // 24 tiles fill the first screens; scrolling continues from their cursor, so the HTML and hydration stay small.
  const [page, facets] = await Promise.all([listGallery(viewer, filters, null, 24), getGalleryFacets(viewer)]);
  return (
    <>
      <PageHeader title="Gallery" description={`Everything made in ${viewer.workspaceName}, shared by the team.`} />
      <GalleryView
        slug={viewer.workspaceSlug}
        initial={{ view: galleryParamsOf(filters).toString(), page }}
        facets={facets}
        problems={problems}
        permissions={{
          organize: can(viewer.role, "media:organize"),
          emptyTrash: can(viewer.role, "trash:empty"),
          generate: can(viewer.role, "generation:create"),
          editBoards: can(viewer.role, "board:edit"),
        }}
      />
    </>
  );
}
