/**
 * The checks every edge runs before a value from a URL, a query string or an action's input may reach the database:
 * ids, workspace slugs, days, list limits and text PostgreSQL can store. A value that fails them is answered with a
 * 4xx (or dropped with a sentence, on a page), never sent to PostgreSQL to fail there as a 500.
 *
 * No dependencies: the gallery's browser code (lib/gallery/view-params.ts) imports it.
 */

/** Ids as Atelier makes them (cuids, hex UUIDs): the pattern every id field and URL segment is held to. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

/**
 * Workspace slugs as slugify() (lib/data/workspaces.ts) makes them: runs of lower-case letters and digits joined by
 * single hyphens. Anything else cannot name a workspace, so it is answered "not found" without a query.
 */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 64;

export function isWorkspaceSlug(value: unknown): value is string {
  return typeof value === "string" && value.length <= SLUG_MAX && SLUG_PATTERN.test(value);
}

/**
 * C0 control characters other than tab, line feed and carriage return (which multi-line prompts use). PostgreSQL's
 * text cannot hold NUL at all (the query fails), and the others have no business in a name, an id or a filter.
 */
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

export function hasUnstorableCharacters(text: string): boolean {
  return UNSTORABLE.test(text);
}

export const UNSTORABLE_MESSAGE = "contains characters that can't be stored (control characters such as NUL)";

/** How deep, and how many values, the walk of an action's input goes before it refuses the input as too large. */
export const INPUT_MAX_DEPTH = 32;
export const INPUT_MAX_VALUES = 100_000;

export type InputProblem = { kind: "characters"; path: (string | number)[] } | { kind: "depth" } | { kind: "size" };

/**
 * The first problem in a raw input (an action's arguments after decoding): a string (or an object key) holding
 * unstorable characters, nesting deeper than INPUT_MAX_DEPTH, or more than INPUT_MAX_VALUES values. Iterative, so
 * hostile nesting cannot overflow the stack; values that are not strings, arrays or plain objects (numbers, files,
 * dates) are not looked into.
 */
export function findInputProblem(input: unknown): InputProblem | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  let seen = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++seen > INPUT_MAX_VALUES) return { kind: "size" };
    if (typeof value === "string") {
      if (hasUnstorableCharacters(value)) return { kind: "characters", path };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    const isArray = Array.isArray(value);
    if (!isArray && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) continue;
    if (path.length >= INPUT_MAX_DEPTH) return { kind: "depth" };
    if (isArray) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        if (hasUnstorableCharacters(key)) return { kind: "characters", path };
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Days (date filters) and instants

/** The days a date filter may name: JavaScript and PostgreSQL both hold them, and every timestamp Atelier writes. */
export const DAY_MIN = "2000-01-01";
export const DAY_MAX = "9999-12-31";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "ok", "format" (not a real YYYY-MM-DD day) or "range" (a real day outside DAY_MIN..DAY_MAX). */
export function checkDay(value: string): "ok" | "format" | "range" {
  if (!DAY.test(value)) return "format";
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return "format";
  return value < DAY_MIN || value > DAY_MAX ? "range" : "ok";
}

/** The latest instant a cursor may carry (the end of DAY_MAX), in ms since 1970. */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** PostgreSQL's bigint range: a numeric id beyond it cannot even be compared. */
export const INT8_MAX = 9_223_372_036_854_775_807n;

// ---------------------------------------------------------------------------------------------------------------
// List limits

/**
 * A `limit` query value: absent means `fallback`; a whole number is clamped to 1..max; anything else (text, signs,
 * exponents, more than 6 digits) is null, for the caller to refuse with limitMessage().
 */
export function parseLimit(raw: string | null, { fallback, max }: { fallback: number; max: number }): number | null {
  if (raw === null || raw === "") return fallback;
  if (!/^\d{1,6}$/.test(raw)) return null;
  return Math.min(max, Math.max(1, Number(raw)));
}

export const limitMessage = (max: number) => `“limit” must be a whole number from 1 to ${max}.`;
