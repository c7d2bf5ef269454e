/** Inserts `token` at the caret (start..end), with a space on either side where a word would otherwise touch it. */
export function insertAt(value: string, token: string, start: number, end: number): { value: string; caret: number } {
  const before = value.slice(0, start);
  const after = value.slice(end);
  const lead = before && !/\s$/.test(before) ? " " : "";
  const trail = after && !/^[\s,.;:!?)]/.test(after) ? " " : "";
  return { value: `${before}${lead}${token}${trail}${after}`, caret: before.length + lead.length + token.length + trail.length };
}
