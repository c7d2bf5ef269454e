import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="mx-auto max-w-5xl space-y-4">
      <Skeleton className="h-5 w-80 max-w-full" />
      <div className="space-y-px overflow-hidden rounded-2xl border border-line">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-12 rounded-none" />
        ))}
      </div>
      <Skeleton className="h-5 w-48" />
      <div className="space-y-px overflow-hidden rounded-2xl border border-line">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-16 rounded-none" />
        ))}
      </div>
    </div>
  );
}
