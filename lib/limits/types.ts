/** A rate-limit rule (lib/limits/rate-limiter.ts applies it; lib/data/rate-limits.ts keeps its counters). */
export interface LimitRule {
  /** Namespace of the keys, e.g. "sign-in:email+ip". */
  name: string;
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}
