import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { ImageForm } from "./image-form";

export const metadata: Metadata = { title: "Image" };

export default async function ImagePage({ params, searchParams }: PageProps<"/w/[workspace]/generate/image">) {
  const [{ workspace }, { reuse }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} tool="IMAGE" form={ImageForm} />;
}
