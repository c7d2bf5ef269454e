import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <div className="space-y-2 border-b border-line/70 px-5 pt-8 pb-5 sm:px-8">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-72" />
      </div>
      <div className="grid gap-6 px-5 py-5 sm:px-8 xl:grid-cols-[minmax(0,1fr)_260px]">
        <div className="space-y-4">
          <Skeleton className="h-9 w-full" />
          <div className="grid grid-cols-[repeat(auto-fill,minmax(min(44%,10.5rem),1fr))] gap-2 sm:gap-3">
            {Array.from({ length: 12 }, (_, i) => (
              <Skeleton key={i} className="aspect-square rounded-xl" />
            ))}
          </div>
        </div>
        <Skeleton className="hidden h-40 xl:block" />
      </div>
    </div>
  );
}
