import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { getJobsOverview } from "@/lib/data/jobs-admin";
import { JobsView } from "./jobs-view";

export const metadata: Metadata = { title: "Jobs" };

/** Settings → Jobs (admins and owners): the first read is here; the view then refreshes itself from /api/w/<slug>/jobs. */
export default async function JobsPage({ params }: PageProps<"/w/[workspace]/settings/jobs">) {
  const viewer = await requireViewer((await params).workspace);
  if (!can(viewer.role, "jobs:read")) forbidden();
  return <JobsView slug={viewer.workspaceSlug} initial={await getJobsOverview(viewer)} />;
}
