/**
 * Generation ids submitted from this tab. The activity notifier uses it to announce a run that finished before the
 * queue first saw it in flight; it is per tab on purpose (another tab announces its own runs).
 */
const submitted = new Set<string>();

export function rememberSubmitted(generationId: string): void {
  submitted.add(generationId);
}

export function submittedInThisTab(): ReadonlySet<string> {
  return submitted;
}
