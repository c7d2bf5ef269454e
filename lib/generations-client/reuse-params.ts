/**
 * Reading a reused run's stored params back into a form, field by field: whatever still passes its field's schema is
 * kept, anything else falls back to the form's default (and the form's own validation says what is missing). Stored
 * params were valid when they ran, but the schema may have moved on since.
 */
import type { z } from "zod";

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function fieldOr<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}
