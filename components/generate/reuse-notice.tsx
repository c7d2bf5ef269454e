import { History, SearchX } from "lucide-react";

export type ReuseStatus = "none" | "loaded" | "missing" | "input-missing";

/**
 * Says where the form's values came from when it was opened with ?reuse=. `seed` is the reused run's: a number, null
 * when the tool takes a seed but the run recorded none (random and unknown), undefined for tools without a seed.
 * `newPrompt`: opened by "Same seed, new prompt" (the prompt is left to write).
 */
export function ReuseNotice({ status, seed, newPrompt = false }: { status: ReuseStatus; seed?: number | null; newPrompt?: boolean }) {
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
  const unknownSeed = "Its seed was random and not recorded (an older run), so this run gets a new one.";
  const [title, detail] = newPrompt
    ? seed === null
      ? ["Same settings, new prompt.", `${unknownSeed} Write a prompt.`]
      : ["Same seed, new prompt.", `Every setting and seed ${seed ?? ""} of an earlier run: write a new prompt to keep its composition.`]
    : seed === undefined
      ? ["Settings from an earlier run.", "Same inputs and settings; change anything before generating."]
      : seed === null
        ? ["Settings from an earlier run.", `Same inputs and settings. ${unknownSeed}`]
        : ["Settings from an earlier run.", `Same inputs and seed (${seed}); change anything before generating.`];
  return (
    <div role="status" className="flex gap-2.5 rounded-xl border border-accent/30 bg-accent-soft/60 px-3.5 py-3 text-[13px]">
      <History className="mt-0.5 size-4 shrink-0 text-accent" aria-hidden="true" />
      <p>
        <span className="font-medium">{title}</span> <span className="text-muted">{detail}</span>
      </p>
    </div>
  );
}
