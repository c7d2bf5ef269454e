/**
 * Status is derived from timestamps, never from timers: an item's status is a function of its creation time, the
 * schedule and the clock at read time, so a restart (even SIGKILL) loses nothing.
 */
import type { AccountState, Schedule, StoredAsset, StoredMedia, StoredTask } from "./types";
import { DEFAULT_SCHEDULE } from "./types";

export type MediaStatus = "initiated" | "pending" | "success" | "failed" | "censored";

export function effectiveSchedule(base: Schedule, state: AccountState): Schedule {
  return { ...base, ...(state.schedule ?? {}) };
}

export function mergeSchedule(partial?: Partial<Schedule>): Schedule {
  return { ...DEFAULT_SCHEDULE, ...(partial ?? {}) };
}

export function mediaStatus(media: StoredMedia, createdAtMs: number, now: number, schedule: Schedule): MediaStatus {
  const age = now - createdAtMs;
  const finalAfter = media.type === "video" ? schedule.videoFinalAfterMs : schedule.finalAfterMs;
  if (age >= finalAfter) return media.outcome;
  if (age >= schedule.pendingAfterMs) return "pending";
  return "initiated";
}

export type AssetStatus = "pending" | "active" | "failed";

export function assetStatus(asset: StoredAsset, now: number, schedule: Schedule): AssetStatus {
  if (asset.uploadedAtMs === undefined || asset.outcome === undefined) return "pending";
  if (now - asset.uploadedAtMs < schedule.assetReadyAfterMs) return "pending";
  return asset.outcome;
}

export type TaskStatus = "PENDING" | "SUCCESS" | "FAILED";

export function taskStatus(task: StoredTask, now: number, schedule: Schedule): TaskStatus {
  if (!task.celery) return task.outcome;
  return now - task.createdAtMs >= schedule.finalAfterMs ? task.outcome : "PENDING";
}

/** Trigger words: `[sandbox:fail]` and `[sandbox:censor]` anywhere in the texts of an item. */
export function outcomeFromText(...texts: (string | undefined)[]): "success" | "failed" | "censored" {
  const all = texts.filter(Boolean).join("\n").toLowerCase();
  if (all.includes("[sandbox:fail]")) return "failed";
  if (all.includes("[sandbox:censor]")) return "censored";
  return "success";
}
