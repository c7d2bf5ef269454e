import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { ImageToVideoForm } from "./image-to-video-form";

export const metadata: Metadata = { title: "Image to video" };

export default async function ImageToVideoPage({ params, searchParams }: PageProps<"/w/[workspace]/generate/image-to-video">) {
  const [{ workspace }, { reuse, input }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} input={input} tool="IMAGE_TO_VIDEO" form={ImageToVideoForm} />;
}
