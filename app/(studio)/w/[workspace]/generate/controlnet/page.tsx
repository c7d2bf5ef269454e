import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { ControlNetForm } from "./controlnet-form";

export const metadata: Metadata = { title: "ControlNet" };

export default async function ControlNetPage({ params, searchParams }: PageProps<"/w/[workspace]/generate/controlnet">) {
  const [{ workspace }, { reuse, input }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} input={input} tool="CONTROLNET" form={ControlNetForm} />;
}
