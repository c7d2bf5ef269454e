/**
 * Counts in words, for every place the UI shows a number of things ("1 item", "2 items", "1,024 credits"). Pure, so
 * pages, components, the domain's messages and the audit log's wording all agree. English only: `many` is the word
 * for every count but exactly 1 (0 included: "0 items"); pass it for irregular plurals ("person" / "people").
 */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** The count, grouped the way the rest of the UI groups numbers ("1,024"), then its word: `plural(1, "item")` is "1 item". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${pluralWord(n, one, many)}`;
}
