/**
 * The batch panel's CSV import: the prompts of a CSV file's "prompt" column (its header names it, in any case), one
 * per row, empty cells skipped, line breaks inside a prompt made spaces. RFC 4180 quoting: a quoted field may hold commas, line breaks and doubled quotes.
 * Pure, so it is tested without a browser; the panel reads the file and bounds its size first.
 */

export const PROMPT_CSV_MAX_BYTES = 1024 * 1024;

/** The rows of a CSV text, each a list of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const source = text.replace(/^\uFEFF/, ""); // a spreadsheet's byte-order mark
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function promptsFromCsv(text: string): { ok: true; prompts: string[] } | { ok: false; error: string } {
  const rows = parseCsv(text);
  const header = rows[0]?.map((name) => name.trim().toLowerCase()) ?? [];
  const column = header.indexOf("prompt");
  if (column < 0) return { ok: false, error: "The file has no “prompt” column: its first row must name one." };
  const prompts = rows
    .slice(1)
    // The panel lists prompts one a line, so a line break inside a prompt becomes a space.
    .map((row) => (row[column] ?? "").replace(/\s*[\r\n]+\s*/g, " ").trim())
    .filter(Boolean);
  if (prompts.length === 0) return { ok: false, error: "The “prompt” column is empty." };
  return { ok: true, prompts };
}
