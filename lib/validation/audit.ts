import { z } from "zod";
import { AUDIT_ACTION_KEYS, AUDIT_GROUP_KEYS } from "@/lib/validation/audit-actions";
import { checkDay, DAY_MAX, DAY_MIN, ID_PATTERN } from "@/lib/validation/primitives";

/**
 * The audit log's filters, as the URL holds them (`?action=&member=&from=&to=`). One schema for the page (server),
 * the list API and the filter bar (browser). The page and the filter bar drop what they cannot read, saying so; the
 * API refuses it.
 */

export const AUDIT_PAGE_SIZE = 50;

/** An empty URL parameter means "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value), schema.nullable().default(null));

const day = (what: string) =>
  z
    .string()
    .refine((value) => checkDay(value) !== "format", `The ${what} date is not a date (use YYYY-MM-DD).`)
    .refine((value) => checkDay(value) !== "range", `The ${what} date must be between ${DAY_MIN} and ${DAY_MAX}.`);

export const auditFiltersSchema = z
  .object({
    /** One action (`member.role_changed`) or a group of them (`auth`). */
    action: optional(z.union([z.enum(AUDIT_ACTION_KEYS), z.enum(AUDIT_GROUP_KEYS)], { error: "That is not a kind of event this log records." })),
    /** The user who did it (a user id). */
    member: optional(z.string().regex(ID_PATTERN, "The member in the link is not valid.")),
    /** UTC days, both inclusive. */
    from: optional(day("start")),
    to: optional(day("end")),
  })
  // A range entered backwards means the same days.
  .transform((filters) => (filters.from && filters.to && filters.from > filters.to ? { ...filters, from: filters.to, to: filters.from } : filters));

export type AuditFilters = z.output<typeof auditFiltersSchema>;

export const EMPTY_AUDIT_FILTERS: AuditFilters = { action: null, member: null, from: null, to: null };

const FIELDS = ["action", "member", "from", "to"] as const;

type Params = { get(name: string): string | null };

function rawOf(params: Params): Record<(typeof FIELDS)[number], string | null> {
  return Object.fromEntries(FIELDS.map((name) => [name, params.get(name)])) as Record<(typeof FIELDS)[number], string | null>;
}

/** Strict: for the API, where a filter that can't be read is the caller's mistake. */
export function parseAuditQuery(params: Params) {
  return auditFiltersSchema.safeParse(rawOf(params));
}

/**
 * Forgiving: for the page and the filter bar. What can't be read is dropped with a sentence saying so, so a mangled
 * link still opens.
 */
export function parseAuditParams(params: Params): { filters: AuditFilters; problems: string[] } {
  const raw = rawOf(params);
  const first = auditFiltersSchema.safeParse(raw);
  if (first.success) return { filters: first.data, problems: [] };
  const problems = first.error.issues.map((issue) => issue.message);
  const bad = new Set(first.error.issues.map((issue) => issue.path[0]));
  const retry = auditFiltersSchema.safeParse(Object.fromEntries(FIELDS.map((name) => [name, bad.has(name) ? null : raw[name]])));
  return { filters: retry.success ? retry.data : EMPTY_AUDIT_FILTERS, problems };
}

/** The URL parameters of a view: only the filters that are set, in a stable order. */
export function auditParamsOf(filters: AuditFilters): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of FIELDS) {
    const value = filters[name];
    if (value) out.set(name, value);
  }
  return out;
}

export function activeAuditFilterCount(filters: AuditFilters): number {
  return [filters.action, filters.member, filters.from ?? filters.to].filter(Boolean).length;
}
