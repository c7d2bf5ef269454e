import { sandboxHooks, removeTestFolders } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/authz";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import { getGalleryFacets, getMediaDetail, listGallery, moveToBoard, setFavorite } from "@/lib/data/gallery";
import { PURGE_QUEUE, type PurgePayload } from "@/lib/data/trash";
import { emptyTrash, restoreMedia, runPurge, trashMedia } from "@/lib/gallery/trash";
import {
  cursorAfter,
  decodeCursor,
  encodeCursor,
  galleryConditions,
  galleryPageQuery,
  searchQueryOf,
  type Cursor,
  type GalleryRow,
} from "@/lib/data/gallery-query";
import { Prisma } from "@/lib/generated/prisma/client";
import { sqlInstant } from "@/lib/data/instant";
import { downloadName, uniqueNames } from "@/lib/gallery/filenames";
import { mediaFilesForZip } from "@/lib/media/files";
import { EMPTY_FILTERS, galleryParamsOf, parseGalleryParams, type GalleryFilters } from "@/lib/validation/gallery";
import { generationQueues } from "@/lib/generations/worker";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { submitGeneration } from "@/lib/generations/submit";
import { storage } from "@/lib/storage/storage";
import { ForbiddenError, NotFoundError } from "@/lib/result";
import type { Tool } from "@/lib/generated/prisma/enums";

afterAll(removeTestFolders);

type Seed = { tool?: Tool; prompt?: string; modelLabel?: string; createdAt?: Date; createdById?: string | null; kind?: "IMAGE" | "VIDEO"; status?: "READY" | "FAILED" };

/** Inserts one generation with one output per seed (no provider involved). */
async function seed(viewer: Viewer, items: Seed[]): Promise<string[]> {
  const ids: string[] = [];
  for (const item of items) {
    const generation = await db.generation.create({
      data: {
        workspaceId: viewer.workspaceId,
        createdById: item.createdById === undefined ? viewer.userId : item.createdById,
        tool: item.tool ?? "IMAGE",
        provider: "RENDERNET",
        idempotencyKey: randomUUID(),
        params: {},
        prompt: item.prompt ?? null,
        modelLabel: item.modelLabel ?? null,
        createdAt: item.createdAt,
      },
    });
    const media = await db.media.create({
      data: {
        workspaceId: viewer.workspaceId,
        generationId: generation.id,
        position: 0,
        kind: item.kind ?? "IMAGE",
        status: item.status ?? "READY",
        tool: generation.tool,
        prompt: generation.prompt,
        modelLabel: generation.modelLabel,
        createdById: generation.createdById,
        createdAt: item.createdAt,
        storageKey: `ws/${viewer.workspaceId}/gen/${generation.id}/m.png`,
        thumbKey: `ws/${viewer.workspaceId}/gen/${generation.id}/m.thumb.webp`,
        mimeType: "image/png",
        bytes: 10,
      },
    });
    ids.push(media.id);
  }
  return ids;
}

const view = (overrides: Partial<GalleryFilters> = {}): GalleryFilters => ({ ...EMPTY_FILTERS, ...overrides });

async function allPages(viewer: Viewer, filters: GalleryFilters, size: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await listGallery(viewer, filters, cursor, size);
    ids.push(...page.items.map((item) => item.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

async function newViewer(): Promise<Viewer> {
  const user = await makeUser();
  return viewerFor(user.id, user.personal.id);
}

describe("the gallery list", () => {
  let alice: Viewer;
  let seeded: string[];
  const base = Date.UTC(2026, 9, 1);

  beforeAll(async () => {
    alice = await newViewer();
    const bob = await newViewer();
    // 45 items, groups of 5 sharing one timestamp (the id breaks ties), and noise in another workspace.
    seeded = await seed(
      alice,
      Array.from({ length: 45 }, (_, i) => ({
        createdAt: new Date(base + Math.floor(i / 5) * 86_400_000),
        tool: (i % 9 === 0 ? "IMAGE_TO_VIDEO" : "IMAGE") as Tool,
        kind: (i % 9 === 0 ? "VIDEO" : "IMAGE") as "VIDEO" | "IMAGE",
        // As recorded (lib/generations/build-request.ts): Image's model or style, Image to video's duration.
        modelLabel: i % 9 === 0 ? "5 s" : i % 2 ? "JuggernautXL" : "Flux Dev",
        prompt: i === 7 ? "A red fox running through snowy lighthouses" : `a quiet harbour number ${i}`,
        status: (i === 3 ? "FAILED" : "READY") as "FAILED" | "READY",
      })),
    );
    await seed(bob, [{ prompt: "A red fox running through snowy lighthouses", modelLabel: "Bob's own model" }]);
  });

  it("pages newest first with keyset cursors: every item once, in order, ties broken by id", async () => {
    const ids = await allPages(alice, view(), 7);
    expect(ids).toHaveLength(45);
    expect(new Set(ids).size).toBe(45);
    const rows = await db.media.findMany({ where: { workspaceId: alice.workspaceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(ids).toEqual(rows.map((r) => r.id));
    expect(await allPages(alice, view({ sort: "oldest" }), 8)).toEqual([...ids].reverse());
  });

  it("filters by tool, kind, model, status, member, dates and favourites", async () => {
    expect(await allPages(alice, view({ tool: "IMAGE_TO_VIDEO" }), 50)).toHaveLength(5);
    expect(await allPages(alice, view({ kind: "video" }), 50)).toHaveLength(5);
    expect(await allPages(alice, view({ model: "Flux Dev" }), 50)).toHaveLength(20);
    // A duration is not a model: an old link filtering by one finds nothing rather than the videos.
    expect(await allPages(alice, view({ model: "5 s" }), 50)).toHaveLength(0);
    expect(await allPages(alice, view({ status: "failed" }), 50)).toEqual([seeded[3]]);
    expect(await allPages(alice, view({ member: alice.userId }), 50)).toHaveLength(45);
    expect(await allPages(alice, view({ member: "someone-else" }), 50)).toHaveLength(0);
    // Day 2 and day 3 (UTC), both ends inclusive: 10 items.
    expect(await allPages(alice, view({ from: "2026-10-02", to: "2026-10-03" }), 4)).toHaveLength(10);
    await setFavorite(alice, [seeded[0]!, seeded[1]!], true);
    expect(new Set(await allPages(alice, view({ favorites: true }), 50))).toEqual(new Set([seeded[0], seeded[1]]));
  });

  it("searches prompts by words, stems and prefixes, only in this workspace", async () => {
    expect(await allPages(alice, view({ q: "fox" }), 50)).toEqual([seeded[7]]);
    expect(await allPages(alice, view({ q: "foxes RUNS" }), 50)).toEqual([seeded[7]]);
    expect(await allPages(alice, view({ q: "lighth" }), 50)).toEqual([seeded[7]]);
    expect(await allPages(alice, view({ q: "fox harbour" }), 50)).toEqual([]);
    expect(await allPages(alice, view({ q: "harbour" }), 10)).toHaveLength(44);
    expect(await allPages(alice, view({ q: "&|!:*()" }), 50)).toHaveLength(45);
  });

  it("reads a tampered cursor as the start", async () => {
    const first = await listGallery(alice, view(), null, 5);
    const tampered = await listGallery(alice, view(), "not-a-cursor", 5);
    expect(tampered.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
    expect(decodeCursor(encodeCursor({ at: new Date(base), id: "abc" }))).toEqual({ at: new Date(base), id: "abc" });
    expect(decodeCursor(Buffer.from("1.abc'; drop").toString("base64url"))).toBeNull();
  });

  it("lists facets: members, models used, boards and the trash size", async () => {
    const facets = await getGalleryFacets(alice);
    // Only Image's models and styles, grouped by tool; Image to video's "5 s" and bob's workspace are not offered.
    expect(facets.models).toEqual([{ tool: "IMAGE", labels: ["Flux Dev", "JuggernautXL"] }]);
    expect(facets.members.map((m) => m.id)).toEqual([alice.userId]);
  });
});

/** The straightforward page query (every filter, the cursor, ORDER BY, LIMIT): what a search page must return. */
function plainPageQuery(workspaceId: string, filters: GalleryFilters, cursor: Cursor | null, limit: number): Prisma.Sql {
  const column = filters.trash ? Prisma.sql`m."deletedAt"` : Prisma.sql`m."createdAt"`;
  const ascending = !filters.trash && filters.sort === "oldest";
  const where = galleryConditions(workspaceId, filters);
  const after = cursor && Prisma.sql`(${column}, m."id") ${ascending ? Prisma.sql`>` : Prisma.sql`<`} (${sqlInstant(cursor.at)}, ${cursor.id})`;
  if (after) where.push(after);
  const order = ascending ? Prisma.sql`${column} ASC, m."id" ASC` : Prisma.sql`${column} DESC, m."id" DESC`;
  return Prisma.sql`SELECT m."id", m."generationId", m."kind"::text AS "kind", m."status"::text AS "status", m."tool"::text AS "tool",
    m."modelLabel", m."prompt", m."width", m."height", m."durationMs", m."favorite", m."boardId", m."createdAt", m."deletedAt",
    m."storageKey", m."thumbKey" FROM "Media" m WHERE ${Prisma.join(where, " AND ")} ORDER BY ${order} LIMIT ${limit + 1}`;
}

type PlanNode = { "Subplan Name"?: string; "Relation Name"?: string; "Actual Rows"?: number; "Actual Loops"?: number; Plans?: PlanNode[] };

/** How a search page was made: rows the walk read, and whether the full-text index (`indexed` CTE) completed it. */
async function searchHalves(query: Prisma.Sql): Promise<{ walked: number; completedBy: "walk" | "index" }> {
  const rows = await db.$queryRaw<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${query}`);
  const find = (node: PlanNode, test: (n: PlanNode) => boolean): PlanNode | undefined =>
    test(node) ? node : (node.Plans ?? []).map((child) => find(child, test)).find(Boolean);
  const plan = rows[0]!["QUERY PLAN"][0].Plan;
  const walk = find(plan, (n) => n["Subplan Name"] === "CTE walk");
  const indexed = find(plan, (n) => n["Subplan Name"] === "CTE indexed");
  if (!walk || !indexed) throw new Error("not a search plan");
  const scanned = find(indexed, (n) => n["Relation Name"] === "Media" && (n["Actual Loops"] ?? 0) > 0);
  return { walked: walk["Actual Rows"] ?? 0, completedBy: scanned ? "index" : "walk" };
}

describe("search pages: a bounded walk in order, then the full-text index", () => {
  let viewer: Viewer;
  const base = Date.UTC(2026, 4, 1);
  const day = 86_400_000;

  beforeAll(async () => {
    viewer = await newViewer();
    // 36 items, 3 per day (ties broken by id), item 0 the oldest. "ember" is in the 12 newest and in 6 old ones, so a
    // short walk fills the first pages and the index completes the later ones; "vapor" only in old items; "quartz" once.
    const prompt = (i: number) =>
      [
        "harbour",
        i >= 24 || [2, 5, 9, 10, 14, 17].includes(i) ? "ember" : "",
        [0, 1, 3, 4, 6, 7, 8, 10, 13].includes(i) ? "vapor" : "",
        i === 15 ? "quartz" : "",
      ].join(" ");
    const ids = await seed(
      viewer,
      Array.from({ length: 36 }, (_, i) => ({
        createdAt: new Date(base + Math.floor(i / 3) * day),
        prompt: prompt(i),
        tool: (i % 4 === 0 ? "IMAGE_TO_VIDEO" : "IMAGE") as Tool,
        kind: (i % 4 === 0 ? "VIDEO" : "IMAGE") as "VIDEO" | "IMAGE",
      })),
    );
    // The trash: 14 items (some deleted at one instant), old and new, with and without the words.
    const trashed = [0, 1, 2, 3, 4, 5, 9, 10, 26, 27, 28, 29, 30, 31];
    for (const [k, i] of trashed.entries()) {
      await db.media.update({ where: { id: ids[i]! }, data: { deletedAt: new Date(base + 40 * day + Math.floor(k / 2) * 3_600_000) } });
    }
    // Noise in another workspace, newer than everything.
    await seed(await newViewer(), [{ prompt: "ember vapor quartz harbour", createdAt: new Date(base + 50 * day) }]);
  });

  it("returns the plain query's rows on every page, whichever half completes it, newest and oldest first and in the trash", async () => {
    const views: [string, Partial<GalleryFilters>][] = [
      ["newest", {}],
      ["oldest", { sort: "oldest" }],
      ["trash", { trash: true }],
      ["tool", { tool: "IMAGE_TO_VIDEO" }],
      ["dates, newest", { from: "2026-05-03", to: "2026-05-10" }],
      ["dates, oldest", { from: "2026-05-03", to: "2026-05-10", sort: "oldest" }],
    ];
    const terms = ["ember", "vapor", "ember vapor", "quartz", "harbour", "nothing"];
    const limit = 3;
    const branches = new Map<string, Set<string>>();
    let pages = 0;
    for (const [name, overrides] of views) {
      for (const q of terms) {
        const filters = view({ ...overrides, q });
        for (const walkRows of [2, limit + 1, 9, undefined]) {
          // Page through the plain query; at every cursor the hybrid must return the same rows (limit + 1 of them).
          let cursor: Cursor | null = null;
          for (let guard = 0; guard < 40; guard++) {
            const expected = await db.$queryRaw<GalleryRow[]>(plainPageQuery(viewer.workspaceId, filters, cursor, limit));
            const query = galleryPageQuery(viewer.workspaceId, filters, cursor, limit, walkRows);
            const actual = await db.$queryRaw<GalleryRow[]>(query);
            expect(actual, `${name}, "${q}", walk ${walkRows ?? "default"}, after ${cursor?.id ?? "start"}`).toEqual(expected);
            pages++;
            if (walkRows === limit + 1) {
              const seen = branches.get(name) ?? new Set<string>();
              seen.add((await searchHalves(query)).completedBy);
              branches.set(name, seen);
            }
            if (expected.length <= limit) break;
            cursor = cursorAfter(expected[limit - 1]!, filters);
          }
        }
      }
    }
    expect(pages).toBeGreaterThan(300);
    // Both halves ran in every view.
    for (const [name] of views) expect([...(branches.get(name) ?? [])].sort(), name).toEqual(["index", "walk"]);
  });

  it("pages a search whose matches lie beyond the walk, and stops walking where the probe says so", async () => {
    const ids = await allPages(viewer, view({ q: "vapor" }), 2);
    expect(ids).toHaveLength(4);
    const expected = await db.$queryRaw<GalleryRow[]>(plainPageQuery(viewer.workspaceId, view({ q: "vapor" }), null, 10));
    expect(ids).toEqual(expected.map((row) => row.id));
    // With a 10-row walk (its first 2 rows the probe): "ember" fills a page of 2 in 3 rows; "vapor" is not in the
    // probe, so the index takes over at once; 6 "ember" in the 10 rows do not fill a page of 6, so the index completes it.
    const halves = (q: string, limit: number) => searchHalves(galleryPageQuery(viewer.workspaceId, view({ q }), null, limit, 10));
    expect(await halves("ember", 2)).toEqual({ walked: 3, completedBy: "walk" });
    expect(await halves("vapor", 2)).toEqual({ walked: 2, completedBy: "index" });
    expect(await halves("ember", 6)).toEqual({ walked: 10, completedBy: "index" });
  });
});

describe("organising and the trash", () => {
  it("favourites, files in boards, trashes, restores and empties, only within the workspace and role", async () => {
    const owner = await makeUser("Owner");
    const team = await makeTeam(owner.id);
    const ownerViewer = await viewerFor(owner.id, team.id);
    const member = await makeUser("Member");
    await addMember(team.id, member.id, "MEMBER");
    const memberViewer = await viewerFor(member.id, team.id);
    const watcher = await makeUser("Viewer");
    await addMember(team.id, watcher.id, "VIEWER");
    const watcherViewer = await viewerFor(watcher.id, team.id);
    const stranger = await newViewer();

    const ids = await seed(memberViewer, [{ prompt: "one" }, { prompt: "two" }, { prompt: "three" }]);
    const [foreign] = await seed(stranger, [{ prompt: "not yours" }]);
    const board = await db.board.create({ data: { workspaceId: team.id, name: "Picks" } });
    const strangerBoard = await db.board.create({ data: { workspaceId: stranger.workspaceId, name: "Theirs" } });

    // Viewers change nothing; other workspaces' ids and boards are not found and stay untouched.
    await expect(setFavorite(watcherViewer, ids, true)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(trashMedia(watcherViewer, ids)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setFavorite(memberViewer, [foreign!], true)).rejects.toBeInstanceOf(NotFoundError);
    await expect(trashMedia(memberViewer, [foreign!])).rejects.toBeInstanceOf(NotFoundError);
    await expect(moveToBoard(memberViewer, ids, strangerBoard.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await getMediaDetail(memberViewer, foreign!)).toBeNull();
    expect(await mediaFilesForZip(memberViewer, [foreign!, ids[0]!])).toHaveLength(1);
    expect(await db.media.findUniqueOrThrow({ where: { id: foreign! } })).toMatchObject({ favorite: false, deletedAt: null });

    expect(await moveToBoard(memberViewer, ids.slice(0, 2), board.id)).toEqual({ count: 2, boardName: "Picks" });
    expect(await allPages(watcherViewer, view({ board: board.id }), 50)).toHaveLength(2);
    expect(await allPages(watcherViewer, view({ board: "none" }), 50)).toEqual([ids[2]]);

    // Mixed ids: only this workspace's change.
    expect(await trashMedia(memberViewer, [ids[0]!, ids[1]!, foreign!])).toBe(2);
    expect(await allPages(memberViewer, view(), 50)).toEqual([ids[2]]);
    expect(new Set(await allPages(memberViewer, view({ trash: true }), 50))).toEqual(new Set([ids[0], ids[1]]));
    expect((await getGalleryFacets(memberViewer)).trashCount).toBe(2);
    expect((await getMediaDetail(memberViewer, ids[0]!))?.deletedBy).toBe("Member");

    expect(await restoreMedia(memberViewer, [ids[1]!])).toBe(1);
    expect(await allPages(memberViewer, view(), 50)).toHaveLength(2);

    // Emptying is for admins and owners.
    await expect(emptyTrash(memberViewer)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await emptyTrash(ownerViewer)).toBe(1);
    expect(await db.media.findUnique({ where: { id: ids[0]! } })).toBeNull();
    expect(await db.media.findUnique({ where: { id: foreign! } })).not.toBeNull();
    const jobs = await db.job.findMany({ where: { queue: PURGE_QUEUE } });
    const payload = jobs.map((job) => job.payload as PurgePayload).find((p) => p.workspaceId === team.id);
    expect(payload?.keys).toEqual(expect.arrayContaining([expect.stringContaining(`ws/${team.id}/`)]));
  });
});

describe("emptying the trash of real generations", () => {
  let worker: WorkerHandle;
  beforeAll(() => {
    worker = startWorker({ queues: generationQueues, concurrency: 2, pollMs: 50, leaseMs: 5000, stopTimeoutMs: 300 });
  });
  afterAll(() => worker.stop());

  it("removes the stored files and RenderNet's copy once every output of the run is gone", async () => {
    const viewer = await newViewer();
    const submitted = await submitGeneration(viewer, {
      idempotencyKey: randomUUID(),
      boardId: null,
      run: {
        tool: "IMAGE",
        params: {
          base: { kind: "model", name: "JuggernautXL" },
          prompt: "a lighthouse at dusk",
          negativePrompt: "",
          aspectRatio: "1:1",
          batchSize: 2,
          seed: 1,
          loras: [],
          controlNet: null,
          faceLock: null,
          character: null,
        },
      },
    });
    const status = () => db.generation.findUniqueOrThrow({ where: { id: submitted.generationId }, select: { status: true } });
    await expect.poll(async () => (await status()).status, { timeout: 20_000, interval: 150 }).toBe("SUCCEEDED");
    const generation = await db.generation.findUniqueOrThrow({ where: { id: submitted.generationId }, include: { media: true } });
    expect(generation.media.every((m) => m.tool === "IMAGE" && m.prompt === "a lighthouse at dusk" && m.createdById === viewer.userId)).toBe(true);
    const [first, second] = generation.media;
    const purge = async () => {
      const jobs = await db.job.findMany({ where: { queue: PURGE_QUEUE } });
      const mine = jobs.filter((job) => (job.payload as PurgePayload).workspaceId === viewer.workspaceId);
      for (const job of mine) {
        await runPurge(job.payload as PurgePayload);
        await db.job.delete({ where: { id: job.id } });
      }
    };
    const deletes = async () =>
      (await sandboxHooks.calls(viewer.workspaceId)).filter((call) => call.method === "DELETE" && call.path.includes(generation.providerGenerationId!));

    // One of two outputs purged: its files go, the provider keeps the run (the other output still uses it).
    await trashMedia(viewer, [first!.id]);
    await emptyTrash(viewer);
    await purge();
    expect(await storage().stat(first!.storageKey!)).toBeNull();
    expect(await storage().stat(first!.thumbKey!)).toBeNull();
    expect(await storage().stat(second!.storageKey!)).not.toBeNull();
    expect(await deletes()).toHaveLength(0);

    await trashMedia(viewer, [second!.id]);
    await emptyTrash(viewer, [second!.id]);
    await purge();
    expect(await storage().stat(second!.storageKey!)).toBeNull();
    expect(await deletes()).toHaveLength(1);
    // Usage history keeps the run.
    expect(await db.generation.findUnique({ where: { id: generation.id } })).not.toBeNull();
    // Running the purge again is harmless (the provider answers 404, files are already gone).
    await runPurge({ workspaceId: viewer.workspaceId, keys: [second!.storageKey!], providerGenerations: [{ id: generation.providerGenerationId!, connectionId: null }] });
  });
});

describe("gallery links and names", () => {
  it("reads a view from the URL and writes it back, explaining what it ignored", () => {
    const { filters, problems } = parseGalleryParams(
      new URLSearchParams("q=red+fox&tool=image-to-video&status=failed&favorites=1&from=2026-11-05&to=2026-11-01&sort=oldest&board=b1"),
    );
    expect(filters).toMatchObject({ q: "red fox", tool: "IMAGE_TO_VIDEO", status: "failed", favorites: true, from: "2026-11-01", to: "2026-11-05", sort: "oldest", board: "b1" });
    expect(problems).toEqual(["The start date is after the end date, so the dates were swapped."]);
    expect(parseGalleryParams(galleryParamsOf(filters)).filters).toEqual(filters);

    const bad = parseGalleryParams(new URLSearchParams("tool=paint&status=lost&from=2026-02-30&sort=random&member=a%20b&kind=gif"));
    expect(bad.filters).toEqual(EMPTY_FILTERS);
    expect(bad.problems).toHaveLength(6);
  });

  it("turns searches into safe prefix queries", () => {
    expect(searchQueryOf("Red  fox!")).toBe("red:* & fox:*");
    expect(searchQueryOf("&|!()")).toBeNull();
    expect(searchQueryOf("Château")).toBe("château:*");
  });

  it("names downloads by day, prompt and id, uniquely", () => {
    const name = downloadName({ id: "cm123abcdef", prompt: "A red fox, in the snow! (4k)", tool: "IMAGE", createdAt: new Date(Date.UTC(2026, 10, 22)), mimeType: "image/png" });
    expect(name).toBe("2026-11-22-a-red-fox-in-the-snow-4k-abcdef.png");
    expect(uniqueNames(["a.png", "a.png", "b.mp4", "a.png"])).toEqual(["a.png", "a-2.png", "b.mp4", "a-3.png"]);
  });
});
