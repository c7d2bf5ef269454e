import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, Columns2 } from "lucide-react";
import { PageBody, PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { TOOLS_BY_ID } from "@/components/generate/tools";
import { requireViewer } from "@/lib/auth/viewer";
import { getCompareSet, getMediaDetail } from "@/lib/data/gallery";
import { compareRows } from "@/lib/gallery/param-rows";
import { seedOf } from "@/lib/generations/seeds";
import { isId } from "@/lib/validation/primitives";
import { BeforeAfter } from "./before-after";
import { CompareView } from "./compare-view";

export const metadata: Metadata = { title: "Compare" };

/**
 * Compare: `?ids=a,b[,c,d]` shows 2–4 gallery items side by side (synced zoom and pan) above their settings, the
 * differences marked; `?input=<id>` shows one result over the input it was made from, with a slider (Edit, Enhance,
 * or any run made from a gallery item). Only the viewer's workspace: other ids read as missing.
 */
export default async function ComparePage({ params, searchParams }: PageProps<"/w/[workspace]/gallery/compare">) {
  const viewer = await requireViewer((await params).workspace);
  const query = await searchParams;
  const slug = viewer.workspaceSlug;
  const back = (
    <Button asChild variant="secondary" size="sm">
      <Link href={`/w/${slug}/gallery`}>
        <ArrowLeft /> Gallery
      </Link>
    </Button>
  );

  if (isId(query.input)) {
    const detail = await getMediaDetail(viewer, query.input);
    const input = detail?.input;
    const before =
      input?.type === "media" && input.item.originalUrl
        ? { url: input.item.originalUrl, label: input.item.prompt ?? "The input" }
        : input?.type === "asset"
          ? { url: `/api/w/${encodeURIComponent(slug)}/assets/${encodeURIComponent(input.id)}/original`, label: input.name }
          : null;
    if (!detail || detail.item.kind !== "IMAGE" || !detail.item.originalUrl || !before) {
      return (
        <Problem back={back} title="Nothing to compare it with">
          {detail ? "This item has no input image left to compare it with (it was not made from one, or that has been deleted)." : "That item isn't in this workspace, or it has been deleted for good."}
        </Problem>
      );
    }
    const tool = TOOLS_BY_ID[detail.generation.tool]?.name ?? "Result";
    return (
      <>
        <PageHeader title="Before and after" description={`${tool}: ${detail.item.prompt ?? "the result"} over what it was made from.`} actions={back} />
        <PageBody>
          <BeforeAfter before={before} after={{ url: detail.item.originalUrl, label: `${tool} result` }} width={detail.item.width} height={detail.item.height} />
        </PageBody>
      </>
    );
  }

  const ids = typeof query.ids === "string" ? query.ids.split(",").filter(Boolean) : [];
  if (ids.length < 2 || ids.length > 4 || !ids.every((id) => isId(id))) {
    return (
      <Problem back={back} title="Choose 2 to 4 items">
        Select two, three or four items in the gallery (or open a run&apos;s results), then Compare.
      </Problem>
    );
  }
  const items = await getCompareSet(viewer, ids);
  if (items.length < 2) {
    return (
      <Problem back={back} title="Not enough to compare">
        {`Only ${items.length} of these ${ids.length} items ${items.length === 1 ? "is" : "are"} in this workspace; the others were deleted for good or are elsewhere.`}
      </Problem>
    );
  }
  const rows = compareRows(
    items.map(({ item, generation }) => ({
      facts: [
        ["Tool", TOOLS_BY_ID[generation.tool]?.name ?? generation.tool],
        ["Model or style", item.modelLabel],
        ["Prompt", item.prompt],
        ["Seed", seedOf(generation.tool, generation.params)?.toString() ?? null],
        ["Size", item.width && item.height ? `${item.width} × ${item.height}` : null],
        ["By", generation.createdBy],
      ],
      params: generation.params,
    })),
  );
  return (
    <>
      <PageHeader title={`Compare ${items.length} items`} description="Zoom and pan move every picture together; the settings that differ are marked." actions={back} />
      <PageBody>
        <CompareView items={items.map(({ item }) => item)} rows={rows} missing={ids.length - items.length} />
      </PageBody>
    </>
  );
}

function Problem({ back, title, children }: { back: React.ReactNode; title: string; children: React.ReactNode }) {
  return (
    <>
      <PageHeader title="Compare" actions={back} />
      <PageBody>
        <EmptyState icon={Columns2} title={title}>
          {children}
        </EmptyState>
      </PageBody>
    </>
  );
}
