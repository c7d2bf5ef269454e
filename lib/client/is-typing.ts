/**
 * Whether a key press belongs to a field the user is typing in (a text box, a select, an editable element), so that
 * single-key shortcuts ("/", "?", F) never steal a character from it.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}
