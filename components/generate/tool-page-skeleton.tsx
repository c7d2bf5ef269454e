import { Skeleton } from "@/components/ui/skeleton";

/** The shape of a tool page while it loads, so nothing jumps when it arrives. */
export function ToolPageSkeleton({ fields = 5 }: { fields?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading" className="lg:grid lg:grid-cols-[minmax(360px,420px)_minmax(0,1fr)] 2xl:grid-cols-[460px_minmax(0,1fr)]">
      <div className="flex flex-col border-b border-line/70 lg:h-dvh lg:border-r lg:border-b-0">
        <div className="flex items-center gap-3 border-b border-line/70 px-5 py-4">
          <Skeleton className="size-8 rounded-lg" />
          <Skeleton className="size-9" />
          <div className="flex-1 space-y-1.5">
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-3 w-52" />
          </div>
        </div>
        <div className="flex-1 space-y-6 px-5 py-5">
          <Skeleton className="h-44 rounded-2xl" />
          {Array.from({ length: fields }, (_, i) => (
            <div key={i} className="space-y-2">
              <Skeleton className="h-3.5 w-24" />
              <Skeleton className="h-10" />
            </div>
          ))}
        </div>
        <div className="space-y-2.5 border-t border-line/70 px-5 py-3.5">
          <Skeleton className="h-4 w-44" />
          <Skeleton className="h-11" />
        </div>
      </div>
      <div className="space-y-4 px-4 py-6 sm:px-6 lg:px-8 lg:py-7">
        <Skeleton className="h-5 w-24" />
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-44 rounded-2xl" />
        ))}
      </div>
    </div>
  );
}
