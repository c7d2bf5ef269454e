import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/authz";
import { listAssetLibrary } from "@/lib/data/assets";
import { decodeAuditCursor, listAuditEvents } from "@/lib/data/audit";
import { listGallery } from "@/lib/data/gallery";
import { db } from "@/lib/db";
import { decodeCursor } from "@/lib/data/gallery-query";
import { instantText, sqlInstant } from "@/lib/data/instant";
import { Prisma } from "@/lib/generated/prisma/client";
import { EMPTY_AUDIT_FILTERS, parseAuditParams, parseAuditQuery } from "@/lib/validation/audit";
import { EMPTY_FILTERS, parseGalleryParams } from "@/lib/validation/gallery";
import { makeUser, viewerFor } from "@/test/factories";

// Values from URLs that used to reach PostgreSQL and fail there (500s): each now reads as "the start", or is
// dropped or refused with a sentence, and the queries that do run are accepted by a real PostgreSQL.

const b64 = (text: string) => Buffer.from(text).toString("base64url");

let viewer: Viewer;
let owner: Viewer;
const base = Date.UTC(2026, 2, 1);

beforeAll(async () => {
  const user = await makeUser("Hostile Tester");
  viewer = await viewerFor(user.id, user.personal.id);
  owner = viewer; // the owner of a personal workspace may read its audit log
  for (let i = 0; i < 3; i++) {
    const generation = await db.generation.create({
      data: { workspaceId: viewer.workspaceId, createdById: viewer.userId, tool: "IMAGE", provider: "RENDERNET", idempotencyKey: randomUUID(), params: {}, createdAt: new Date(base + i * 1000) },
    });
    await db.media.create({
      data: { workspaceId: viewer.workspaceId, generationId: generation.id, position: 0, kind: "IMAGE", status: "READY", tool: "IMAGE", createdById: viewer.userId, createdAt: new Date(base + i * 1000), mimeType: "image/png", bytes: 1 },
    });
    await db.asset.create({
      data: { workspaceId: viewer.workspaceId, createdById: viewer.userId, kind: "IMAGE", name: `a${i}.png`, storageKey: `ws/x/assets/${randomUUID()}.png`, mimeType: "image/png", bytes: 1, checksum: randomUUID(), createdAt: new Date(base + i * 1000) },
    });
    await db.auditEvent.create({ data: { workspaceId: viewer.workspaceId, actorId: viewer.userId, action: "board.created", createdAt: new Date(base + i * 1000) } });
  }
});

describe("cursors that decode to values PostgreSQL can't hold read as the start", () => {
  const hostile = [
    b64("999999999999999.abc"), // year 33658
    b64(`${Date.UTC(10000, 0, 1)}.abc`), // just past 9999
    b64("1700000000000.zz\u0000"),
    "%00",
    "A".repeat(300),
    b64("-5.abc"),
  ];

  it("in the gallery and the asset library", async () => {
    const start = (await listGallery(viewer, EMPTY_FILTERS, null)).items.map((item) => item.id);
    const assets = (await listAssetLibrary(viewer)).items.map((item) => item.id);
    expect(start).toHaveLength(3);
    for (const cursor of hostile) {
      expect(decodeCursor(cursor)).toBeNull();
      expect((await listGallery(viewer, EMPTY_FILTERS, cursor)).items.map((item) => item.id)).toEqual(start);
      expect((await listAssetLibrary(viewer, { cursor })).items.map((item) => item.id)).toEqual(assets);
    }
    // The last instant a cursor may carry is still a cursor, and PostgreSQL compares it.
    const latest = b64(`${Date.UTC(9999, 11, 31, 23, 59, 59, 999)}.zzz`);
    expect(decodeCursor(latest)).not.toBeNull();
    expect((await listGallery(viewer, EMPTY_FILTERS, latest)).items.map((item) => item.id)).toEqual(start);
  });

  it("in the audit log, including ids beyond PostgreSQL's bigint", async () => {
    const start = (await listAuditEvents(owner, EMPTY_AUDIT_FILTERS)).events.map((event) => event.id);
    expect(start.length).toBeGreaterThanOrEqual(3);
    for (const cursor of [...hostile, b64("1700000000000.9223372036854775808"), b64("1700000000000.9999999999999999999")]) {
      expect(decodeAuditCursor(cursor)).toBeNull();
      expect((await listAuditEvents(owner, EMPTY_AUDIT_FILTERS, cursor)).events.map((event) => event.id)).toEqual(start);
    }
    // The largest bigint is a cursor PostgreSQL accepts.
    const largest = b64(`${Date.UTC(2030, 0, 1)}.9223372036854775807`);
    expect(decodeAuditCursor(largest)).toEqual({ at: new Date(Date.UTC(2030, 0, 1)), id: 9_223_372_036_854_775_807n });
    expect((await listAuditEvents(owner, EMPTY_AUDIT_FILTERS, largest)).events.map((event) => event.id)).toEqual(start);
  });
});

describe("date filters hold to 2000–9999", () => {
  it("writes timestamptz literals PostgreSQL reads, up to the day after 9999-12-31", async () => {
    const after = new Date(Date.UTC(10000, 0, 1));
    expect(instantText(after)).toBe("10000-01-01 00:00:00.000+00");
    expect(instantText(new Date(Date.UTC(2000, 0, 1, 2, 3, 4, 5)))).toBe("2000-01-01 02:03:04.005+00");
    const [row] = await db.$queryRaw<{ later: boolean; text: string }[]>(
      Prisma.sql`SELECT ${sqlInstant(after)} > '9999-12-31 23:59:59.999+00'::timestamptz AS later,
        to_char(${sqlInstant(after)}, 'YYYY-MM-DD HH24:MI:SS TZH') AS text`,
    );
    expect(row).toEqual({ later: true, text: "10000-01-01 00:00:00 +00" });
  });

  it("gallery: the widest range runs; a day outside it is dropped with a sentence", async () => {
    const { filters, problems } = parseGalleryParams(new URLSearchParams({ from: "2000-01-01", to: "9999-12-31" }));
    expect(problems).toEqual([]);
    expect((await listGallery(viewer, filters, null)).items).toHaveLength(3);
    const outside = parseGalleryParams(new URLSearchParams({ from: "0000-01-01", to: "9999-12-32", model: "a\u0000b" }));
    expect(outside.filters).toMatchObject({ from: null, to: null, model: null });
    expect(outside.problems).toEqual([
      "The link's “model” holds characters that can't be stored, so it was ignored.",
      "“0000-01-01” is outside the dates Atelier can search (2000-01-01 to 9999-12-31).",
      "“9999-12-32” is not a date (use YYYY-MM-DD).",
    ]);
    expect((await listGallery(viewer, outside.filters, null)).items).toHaveLength(3);
  });

  it("audit: the API refuses a day outside the range with its own message, the page drops it", async () => {
    const refused = parseAuditQuery(new URLSearchParams({ from: "0000-01-01" }));
    expect(refused.success ? null : refused.error.issues.map((issue) => issue.message)).toEqual(["The start date must be between 2000-01-01 and 9999-12-31."]);
    const malformed = parseAuditQuery(new URLSearchParams({ to: "2024-02-30" }));
    expect(malformed.success ? null : malformed.error.issues.map((issue) => issue.message)).toEqual(["The end date is not a date (use YYYY-MM-DD)."]);
    const widest = parseAuditQuery(new URLSearchParams({ from: "2000-01-01", to: "9999-12-31" }));
    expect(widest.success).toBe(true);
    expect((await listAuditEvents(owner, widest.data!)).events.length).toBeGreaterThanOrEqual(3);
    expect(parseAuditParams(new URLSearchParams({ from: "0000-01-01", to: "9999-12-31" }))).toEqual({
      filters: { ...EMPTY_AUDIT_FILTERS, to: "9999-12-31" },
      problems: ["The start date must be between 2000-01-01 and 9999-12-31."],
    });
  });
});
