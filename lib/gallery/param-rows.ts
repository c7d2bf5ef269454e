/**
 * A run's stored settings (its validated params) as the people reading them see them: labelled rows of plain text, for
 * the gallery's detail view and the compare view.
 */

/** `negativePrompt` → "Negative prompt". */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A stored setting as one line of text (null when empty): LoRAs as "name (weight)", inputs by what they are. */
export function valueOf(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number" || typeof value === "string") return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(valueOf).filter(Boolean);
    return parts.length ? parts.join(", ") : null;
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("kind" in record && "id" in record && Object.keys(record).length === 2) return record.kind === "media" ? "A gallery item" : "An uploaded file";
    if ("name" in record) {
      const extra = "weight" in record ? ` (${String(record.weight)})` : "strength" in record ? ` (${String(record.strength)})` : "";
      return `${String(record.name)}${extra}`;
    }
    const parts = Object.entries(record)
      .map(([key, inner]) => {
        const shown = valueOf(inner);
        return shown ? `${labelOf(key)}: ${shown}` : null;
      })
      .filter(Boolean);
    return parts.length ? parts.join(" · ") : null;
  }
  return null;
}

/** A run's stored settings as label/value rows (empty ones left out), in their stored order, without `hidden` keys. */
export function paramRows(params: unknown, hidden: ReadonlySet<string> = new Set()): [string, string][] {
  if (!params || typeof params !== "object") return [];
  return Object.entries(params as Record<string, unknown>)
    .filter(([key]) => !hidden.has(key))
    .map(([key, value]) => [labelOf(key), valueOf(value)] as [string, string | null])
    .filter((row): row is [string, string] => row[1] !== null);
}

export type CompareRow = { label: string; values: (string | null)[]; differs: boolean };

/**
 * Settings side by side: one row per setting any of the runs has (in the order they first appear), a value per run
 * (null where a run has none, e.g. LoRAs beside a Qolaba run), and whether they differ. `facts` come first (tool,
 * model, prompt, seed...): rows the caller knows for every run.
 */
export function compareRows(runs: { facts: [string, string | null][]; params: unknown }[]): CompareRow[] {
  const order: string[] = [];
  const byRun = runs.map(({ facts, params }) => {
    const rows = new Map<string, string | null>();
    for (const [label, value] of [...facts, ...paramRows(params, FACT_KEYS)]) {
      if (!order.includes(label)) order.push(label);
      rows.set(label, value);
    }
    return rows;
  });
  return order.map((label) => {
    const values = byRun.map((rows) => rows.get(label) ?? null);
    return { label, values, differs: values.some((value) => value !== values[0]) };
  });
}

/** Params the compare view shows among its facts instead (the prompt and seed lead the table; `base` is the model). */
const FACT_KEYS = new Set(["prompt", "seed", "base"]);
