import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { ImageForm } from "./image-form";

export const metadata: Metadata = { title: "Image" };

export default async function ImagePage({ params, searchParams }: PageProps<"/w/[workspace]/generate/image">) {
  const [{ workspace }, { reuse, input }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} input={input} tool="IMAGE" form={ImageForm} />;
}
