import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { EditForm } from "./edit-form";

export const metadata: Metadata = { title: "Edit" };

export default async function EditPage({ params, searchParams }: PageProps<"/w/[workspace]/generate/edit">) {
  const [{ workspace }, { reuse, input }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} input={input} tool="EDIT" form={EditForm} />;
}
