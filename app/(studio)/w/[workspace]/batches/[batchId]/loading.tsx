import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <div className="space-y-2 border-b border-line/70 px-5 pt-8 pb-5 sm:px-8">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-80" />
      </div>
      <div className="space-y-5 px-5 py-6 sm:px-8">
        <Skeleton className="h-24" />
        <div className="grid grid-cols-3 gap-3">
          <Skeleton className="aspect-square" />
          <Skeleton className="aspect-square" />
          <Skeleton className="aspect-square" />
        </div>
      </div>
    </div>
  );
}
