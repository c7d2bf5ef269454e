import type { GenerationStatusDTO, GenerationSummary } from "@/lib/generations/types";

const ACTIVE: ReadonlySet<GenerationStatusDTO> = new Set(["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING", "CANCELLING"]);

/** Not final yet: the queue keeps polling quickly while any run is in one of these states. */
export function isActiveStatus(status: GenerationStatusDTO): boolean {
  return ACTIVE.has(status);
}

export function hasActiveGeneration(list: readonly GenerationSummary[] | undefined): boolean {
  return Boolean(list?.some((g) => isActiveStatus(g.status)));
}

/** Poll every 1.5 s while a run is in flight, every 15 s otherwise. */
export function pollInterval(list: readonly GenerationSummary[] | undefined): number {
  return hasActiveGeneration(list) ? 1_500 : 15_000;
}

export const statusLabel: Record<GenerationStatusDTO, string> = {
  PREPARING: "Uploading input",
  QUEUED: "Queued",
  SUBMITTING: "Sending",
  RECONCILING: "Checking",
  RUNNING: "Generating",
  SUCCEEDED: "Done",
  FAILED: "Failed",
  REFUSED: "Refused",
  CANCELLING: "Cancelling",
  CANCELLED: "Cancelled",
};

/** Already at the provider (or on its way there): cancelling it may come too late to avoid a charge. */
export function isAtProvider(status: GenerationStatusDTO): boolean {
  return status === "SUBMITTING" || status === "RECONCILING" || status === "RUNNING";
}

export type StatusChange = { generation: GenerationSummary; from: GenerationStatusDTO | null };

/**
 * Runs that became final between two snapshots of the queue: those seen in flight before, plus those this tab
 * submitted that appear for the first time already final (a fast run between two polls). A run first seen final is
 * old news and says nothing.
 */
export function finishedSince(
  previous: ReadonlyMap<string, GenerationStatusDTO>,
  next: readonly GenerationSummary[],
  submittedHere: ReadonlySet<string>,
): StatusChange[] {
  const changes: StatusChange[] = [];
  for (const generation of next) {
    if (isActiveStatus(generation.status)) continue;
    const before = previous.get(generation.id);
    if (before !== undefined ? isActiveStatus(before) : submittedHere.has(generation.id)) {
      changes.push({ generation, from: before ?? null });
    }
  }
  return changes;
}

/** Seconds from start (or creation) to finish (or now), never negative when clocks disagree. */
export function elapsedSeconds(generation: Pick<GenerationSummary, "createdAt" | "startedAt" | "finishedAt">, now: number): number {
  const start = Date.parse(generation.startedAt ?? generation.createdAt);
  const end = generation.finishedAt ? Date.parse(generation.finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return 0;
  return Math.max(0, Math.round((end - start) / 1000));
}

export function formatElapsed(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
