import type { Metadata } from "next";
import { ToolPage } from "../tool-page";
import { EnhanceForm } from "./enhance-form";

export const metadata: Metadata = { title: "Enhance" };

export default async function EnhancePage({ params, searchParams }: PageProps<"/w/[workspace]/generate/enhance">) {
  const [{ workspace }, { reuse }] = await Promise.all([params, searchParams]);
  return <ToolPage workspace={workspace} reuse={reuse} tool="ENHANCE" form={EnhanceForm} />;
}
