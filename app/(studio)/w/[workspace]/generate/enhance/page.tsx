import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { EnhanceForm } from "./enhance-form";

export const metadata: Metadata = { title: "Enhance" };

export default async function EnhancePage({ params, searchParams }: PageProps<"/w/[workspace]/generate/enhance">) {
  const [{ workspace }, { reuse, input }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} input={input} tool="ENHANCE" form={EnhanceForm} />;
}
