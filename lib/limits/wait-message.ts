import { plural } from "@/lib/validation/text";

/** "Try again in 3 minutes." / "Try again in 30 seconds.": the end of every rate-limited answer. */
export function tryAgainIn(seconds: number): string {
  if (seconds < 60) return `Try again in ${plural(seconds, "second")}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${plural(minutes, "minute")}.`;
}
