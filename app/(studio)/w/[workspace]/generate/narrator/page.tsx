import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { NarratorForm } from "./narrator-form";

export const metadata: Metadata = { title: "Narrator" };

export default async function NarratorPage({ params, searchParams }: PageProps<"/w/[workspace]/generate/narrator">) {
  const [{ workspace }, { reuse }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} tool="NARRATOR" form={NarratorForm} />;
}
