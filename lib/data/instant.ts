import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Instants in raw SQL. Every timestamp column is `timestamptz(3)`, but Prisma's pg adapter sends a Date parameter as
 * zone-less text ("2026-12-03 12:00:00.000"), which PostgreSQL reads in the session's TimeZone. So raw SQL passes
 * instants through `sqlInstant`, whose text carries its offset: a comparison or insert then means the same instant
 * whatever the session's TimeZone (lib/data/time-zone.test.ts proves it under Asia/Kolkata). Model queries go
 * through Prisma itself, which is why lib/db.ts also pins the app's sessions to UTC.
 */

const pad = (value: number, length = 2) => String(value).padStart(length, "0");

/**
 * The instant as PostgreSQL text with an explicit UTC offset, built from its parts rather than toISOString(), which
 * writes years past 9999 as "+010000" (the day after 9999-12-31 is a filter's exclusive end).
 */
export function instantText(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}+00`;
}

/** A Date as a `timestamptz` parameter that does not depend on the session's TimeZone. */
export function sqlInstant(date: Date): Prisma.Sql {
  return Prisma.sql`${instantText(date)}::timestamptz`;
}
