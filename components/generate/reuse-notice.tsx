import { History, SearchX } from "lucide-react";

export type ReuseStatus = "none" | "loaded" | "missing" | "input-missing";

/** Says where the form's values came from when it was opened with ?reuse=. */
export function ReuseNotice({ status }: { status: ReuseStatus }) {
  if (status === "none") return null;
  if (status === "input-missing") {
    return (
      <div role="status" className="flex gap-2.5 rounded-xl border border-line bg-surface-2/70 px-3.5 py-3 text-[13px]">
        <SearchX className="mt-0.5 size-4 shrink-0 text-muted" aria-hidden="true" />
        <p>
          <span className="font-medium">That gallery item can&apos;t be used here.</span>{" "}
          <span className="text-muted">It is not in this workspace&apos;s gallery, or it is not the kind of file this tool takes.</span>
        </p>
      </div>
    );
  }
  if (status === "missing") {
    return (
      <div role="status" className="flex gap-2.5 rounded-xl border border-line bg-surface-2/70 px-3.5 py-3 text-[13px]">
        <SearchX className="mt-0.5 size-4 shrink-0 text-muted" aria-hidden="true" />
        <p>
          <span className="font-medium">That run wasn&apos;t found in this workspace.</span>{" "}
          <span className="text-muted">The form starts from the defaults.</span>
        </p>
      </div>
    );
  }
  return (
    <div role="status" className="flex gap-2.5 rounded-xl border border-accent/30 bg-accent-soft/60 px-3.5 py-3 text-[13px]">
      <History className="mt-0.5 size-4 shrink-0 text-accent" aria-hidden="true" />
      <p>
        <span className="font-medium">Settings from an earlier run.</span>{" "}
        <span className="text-muted">Same inputs and seed; change anything before generating.</span>
      </p>
    </div>
  );
}
