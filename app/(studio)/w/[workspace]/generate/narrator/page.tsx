import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { NarratorForm } from "./narrator-form";

export const metadata: Metadata = { title: "Narrator" };

export default async function NarratorPage({ params, searchParams }: PageProps<"/w/[workspace]/generate/narrator">) {
  const [{ workspace }, { reuse, input }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} input={input} tool="NARRATOR" form={NarratorForm} />;
}
