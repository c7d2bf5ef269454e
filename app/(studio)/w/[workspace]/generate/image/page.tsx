import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { ImageForm } from "./image-form";

export const metadata: Metadata = { title: "Image" };

export default async function ImagePage({ params, searchParams }: PageProps<"/w/[workspace]/generate/image">) {
  const [{ workspace }, { reuse, input, prompt }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} input={input} prompt={prompt} tool="IMAGE" form={ImageForm} />;
}
