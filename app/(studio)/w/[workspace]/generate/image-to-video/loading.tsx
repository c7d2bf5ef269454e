import { ToolPageSkeleton } from "@/components/generate/tool-page-skeleton";

export default function Loading() {
  return <ToolPageSkeleton fields={2} />;
}
