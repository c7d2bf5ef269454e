import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { Viewer } from "@/lib/authz";
import { listAuditEvents } from "@/lib/data/audit";
import { sqlInstant } from "@/lib/data/instant";
import { spentThisMonth } from "@/lib/data/spend";
import { getUsage } from "@/lib/data/usage";
import { EMPTY_AUDIT_FILTERS } from "@/lib/validation/audit";
import { makeTeam, makeUser, viewerFor } from "@/test/factories";

/**
 * Timestamps are timestamptz, and the data layer's raw SQL must mean UTC days, months and instants whatever the
 * session's TimeZone. Each read below runs twice, once through the app's client (sessions pinned to UTC, lib/db.ts)
 * and once through a client whose sessions are in Asia/Kolkata (UTC+05:30, so a UTC evening is the next local day),
 * and must answer the same. Rows are written through the app's client, as the app writes them.
 */

const shared = globalThis as unknown as { atelierDb?: PrismaClient };
let kolkata: PrismaClient;

/** Runs `read` with lib/db's client swapped for one whose sessions are in Asia/Kolkata. */
async function inKolkata<T>(read: () => Promise<T>): Promise<T> {
  const app = shared.atelierDb;
  shared.atelierDb = kolkata;
  try {
    return await read();
  } finally {
    shared.atelierDb = app;
  }
}

let viewer: Viewer;
let ownerId: string;
let workspaceId: string;
const now = new Date("2026-12-02T01:00:00Z");

beforeAll(async () => {
  await db.$queryRaw`SELECT 1`; // creates the app's client, so inKolkata can put it back
  kolkata = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 2, options: "-c TimeZone=Asia/Kolkata" }) });
  const owner = await makeUser("Zoe Zone");
  const team = await makeTeam(owner.id);
  ownerId = owner.id;
  workspaceId = team.id;
  viewer = await viewerFor(owner.id, team.id);
  // Nov 30 20:00 UTC is Dec 1 01:30 in Kolkata; Dec 1 20:00 UTC is Dec 2 01:30 there.
  for (const [at, credits] of [
    ["2026-11-30T20:00:00Z", 5],
    ["2026-12-01T00:30:00Z", 7],
    ["2026-12-01T20:00:00Z", 11],
  ] as const) {
    await db.generation.create({
      data: {
        workspaceId,
        createdById: ownerId,
        tool: "IMAGE",
        provider: "RENDERNET",
        status: "SUCCEEDED",
        idempotencyKey: randomUUID(),
        params: {},
        estimatedCredits: credits,
        chargeBasis: "ESTIMATE",
        chargedCredits: credits,
        createdAt: new Date(at),
      },
    });
  }
  await db.balanceSnapshot.create({ data: { workspaceId, provider: "RENDERNET", connection: "tz", balance: 100, createdAt: new Date("2026-12-01T18:35:00Z") } });
  for (const at of ["2026-11-30T20:00:00Z", "2026-12-01T00:30:00Z"]) {
    await db.auditEvent.create({ data: { workspaceId, actorId: ownerId, action: "board.created", createdAt: new Date(at) } });
  }
});

afterAll(async () => {
  await kolkata.$disconnect();
});

describe("timestamptz: answers do not depend on the session's time zone", () => {
  it("the app's sessions are UTC; the other client's really are Kolkata's", async () => {
    expect(await db.$queryRaw<{ TimeZone: string }[]>`SHOW TimeZone`).toEqual([{ TimeZone: "UTC" }]);
    expect(await kolkata.$queryRaw<{ TimeZone: string }[]>`SHOW TimeZone`).toEqual([{ TimeZone: "Asia/Kolkata" }]);
  });

  it("an instant parameter is that instant in either zone", async () => {
    const query = Prisma.sql`SELECT ${sqlInstant(new Date("2026-12-01T00:00:00Z"))} = '2026-12-01 00:00:00+00'::timestamptz AS same`;
    expect(await db.$queryRaw(query)).toEqual([{ same: true }]);
    expect(await kolkata.$queryRaw(query)).toEqual([{ same: true }]);
  });

  it("usage: runs fall on their UTC day, the month is the UTC month, balance readings keep their instant", async () => {
    const inUtc = await getUsage(viewer, { days: 3, now });
    const inIndia = await inKolkata(() => getUsage(viewer, { days: 3, now }));
    expect(inIndia).toEqual(inUtc);
    expect(inUtc.daily.map((day) => [day.day, day.total])).toEqual([
      ["2026-11-30", 5],
      ["2026-12-01", 18],
      ["2026-12-02", 0],
    ]);
    expect(inUtc.members.find((member) => member.key === ownerId)?.monthSpent).toBe(18);
    expect(inUtc.balance).toEqual([{ provider: "RENDERNET", connection: "tz", current: true, points: [{ at: "2026-12-01T18:35:00.000Z", balance: 100 }] }]);
  });

  it("budgets: the month that is spent from is the UTC month", async () => {
    expect(await spentThisMonth(workspaceId, ownerId, { now })).toBe(18);
    expect(await spentThisMonth(workspaceId, ownerId, { now, client: kolkata })).toBe(18);
  });

  it("audit log: a day filter means that UTC day", async () => {
    const filters = { ...EMPTY_AUDIT_FILTERS, from: "2026-12-01", to: "2026-12-01" };
    const inUtc = await listAuditEvents(viewer, filters);
    const inIndia = await inKolkata(() => listAuditEvents(viewer, filters));
    expect(inUtc.events.map((event) => event.at)).toEqual(["2026-12-01T00:30:00.000Z"]);
    // The same entry is chosen. Its time is compared only by id here: a timestamptz column READ through Prisma's pg
    // adapter is taken as if its offset were +00, which is exactly why lib/db.ts pins the app's sessions to UTC.
    expect(inIndia.events.map((event) => event.id)).toEqual(inUtc.events.map((event) => event.id));
  });
});
