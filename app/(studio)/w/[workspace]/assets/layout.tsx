import { PageHeader } from "@/components/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { AssetsTabs } from "./assets-tabs";

/** Assets: one header and a tab per library (uploaded files, characters); each tab is its own page. */
export default async function AssetsLayout({ children, params }: LayoutProps<"/w/[workspace]/assets">) {
  const viewer = await requireViewer((await params).workspace);
  return (
    <>
      <PageHeader title="Assets" description="Images, videos, audio and characters your team uses as inputs." />
      <AssetsTabs slug={viewer.workspaceSlug} />
      {children}
    </>
  );
}
