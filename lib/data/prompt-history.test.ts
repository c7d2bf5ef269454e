import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { Tool } from "@/lib/generated/prisma/enums";
import { HISTORY_DEPTH, listPromptHistory } from "@/lib/data/prompt-history";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

// The session is the only thing faked for the route: its handler, the rows and PostgreSQL are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));
const { GET } = await import("@/app/api/w/[workspace]/prompts/route");

let clock = Date.parse("2026-11-01T10:00:00Z");

/** One run of `tool` by `userId` with `prompt`, a minute after the previous one; `image` gives it a READY result. */
async function run(workspaceId: string, userId: string, prompt: string | null, options: { tool?: Tool; image?: "ready" | "trashed" | "none" } = {}) {
  clock += 60_000;
  const tool = options.tool ?? "IMAGE";
  const generation = await db.generation.create({
    data: { workspaceId, createdById: userId, tool, provider: "RENDERNET", status: "SUCCEEDED", idempotencyKey: randomUUID(), params: {}, prompt, createdAt: new Date(clock) },
    select: { id: true },
  });
  if ((options.image ?? "ready") === "none") return { generationId: generation.id, mediaId: null };
  const media = await db.media.create({
    data: {
      workspaceId,
      generationId: generation.id,
      position: 0,
      kind: "IMAGE",
      status: "READY",
      tool,
      prompt,
      createdById: userId,
      thumbKey: `ws/${workspaceId}/gen/${generation.id}/thumb.webp`,
      deletedAt: options.image === "trashed" ? new Date() : null,
    },
    select: { id: true },
  });
  return { generationId: generation.id, mediaId: media.id };
}

async function get(slug: string, query: string) {
  const response = await GET(new Request(`http://atelier.test/api/w/${slug}/prompts?${query}`, { headers: { host: "atelier.test" } }), {
    params: Promise.resolve({ workspace: slug }),
  });
  return { status: response.status, body: await response.json() };
}

describe("prompt history", () => {
  let ada: Awaited<ReturnType<typeof makeUser>>;
  let bob: Awaited<ReturnType<typeof makeUser>>;
  let team: Awaited<ReturnType<typeof makeTeam>>;

  beforeAll(async () => {
    ada = await makeUser("Ada");
    bob = await makeUser("Bob");
    team = await makeTeam(ada.id);
    await addMember(team.id, bob.id, "MEMBER");
  });
  beforeEach(() => {
    session.userId = null;
  });

  it("lists the member's own prompts for one tool, newest first, each once with its uses and newest result", async () => {
    const viewer = await viewerFor(ada.id, team.id);
    await run(team.id, ada.id, "a red lighthouse");
    const firstCastle = await run(team.id, ada.id, "a castle in the clouds");
    await run(team.id, ada.id, "a red lighthouse", { image: "none" }); // failed: no result of its own
    await run(team.id, ada.id, "   "); // blank prompts are not history
    await run(team.id, ada.id, null, { image: "none" });
    await run(team.id, ada.id, "a pose study", { tool: "CONTROLNET" }); // another tool
    await run(team.id, bob.id, "bob's secret prompt"); // a teammate's
    const elsewhere = await makeTeam(ada.id);
    await run(elsewhere.id, ada.id, "ada's other workspace"); // another workspace

    const entries = await listPromptHistory(viewer, { tool: "IMAGE", search: null, limit: 20 });
    expect(entries.map(({ prompt, uses }) => ({ prompt, uses }))).toEqual([
      { prompt: "a red lighthouse", uses: 2 },
      { prompt: "a castle in the clouds", uses: 1 },
    ]);
    // The lighthouse's newest run has no result: its thumbnail is the older run's, still in the gallery.
    expect(entries[0]!.thumbUrl).toMatch(new RegExp(`^/api/w/${viewer.workspaceSlug}/media/[^/]+/thumb$`));
    expect(entries[1]!.thumbUrl).toBe(`/api/w/${viewer.workspaceSlug}/media/${firstCastle.mediaId}/thumb`);
    expect(Date.parse(entries[0]!.lastUsedAt)).toBeGreaterThan(Date.parse(entries[1]!.lastUsedAt));
    expect((await listPromptHistory(viewer, { tool: "CONTROLNET", search: null, limit: 20 })).map((e) => e.prompt)).toEqual(["a pose study"]);
    // Bob sees his own only.
    const bobs = await listPromptHistory(await viewerFor(bob.id, team.id), { tool: "IMAGE", search: null, limit: 20 });
    expect(bobs.map((e) => e.prompt)).toEqual(["bob's secret prompt"]);
  });

  it("gives no thumbnail for a prompt whose results are all in the trash", async () => {
    const user = await makeUser("Tess");
    const viewer = await viewerFor(user.id, user.personal.id);
    await run(user.personal.id, user.id, "trashed result", { image: "trashed" });
    expect(await listPromptHistory(viewer, { tool: "IMAGE", search: null, limit: 5 })).toEqual([
      expect.objectContaining({ prompt: "trashed result", thumbUrl: null }),
    ]);
  });

  it("searches case-insensitively for the text as typed: % and _ are characters, not wildcards", async () => {
    const user = await makeUser("Sam");
    const viewer = await viewerFor(user.id, user.personal.id);
    for (const prompt of ["Neon CITY at night", "100% cotton texture", "snake_case robot", "plain robot"]) await run(user.personal.id, user.id, prompt);
    const search = async (text: string) => (await listPromptHistory(viewer, { tool: "IMAGE", search: text, limit: 10 })).map((e) => e.prompt);
    expect(await search("city")).toEqual(["Neon CITY at night"]);
    expect(await search("%")).toEqual(["100% cotton texture"]);
    expect(await search("_")).toEqual(["snake_case robot"]);
    expect(await search("robot")).toEqual(["plain robot", "snake_case robot"]);
    expect(await search("nothing like it")).toEqual([]);
  });

  it("is bounded: the newest runs only, and at most `limit` prompts", async () => {
    const user = await makeUser("Bea");
    const viewer = await viewerFor(user.id, user.personal.id);
    await run(user.personal.id, user.id, "the oldest prompt", { image: "none" });
    await db.generation.createMany({
      data: Array.from({ length: HISTORY_DEPTH }, (_, i) => ({
        workspaceId: user.personal.id,
        createdById: user.id,
        tool: "IMAGE" as const,
        provider: "RENDERNET" as const,
        status: "FAILED" as const,
        idempotencyKey: randomUUID(),
        params: {},
        prompt: `prompt ${i % 30}`,
        createdAt: new Date(clock + 1000 + i),
      })),
    });
    const entries = await listPromptHistory(viewer, { tool: "IMAGE", search: null, limit: 50 });
    expect(entries).toHaveLength(30); // 30 distinct prompts in the newest HISTORY_DEPTH runs
    expect(entries.some((e) => e.prompt === "the oldest prompt")).toBe(false);
    expect(await listPromptHistory(viewer, { tool: "IMAGE", search: null, limit: 3 })).toHaveLength(3);
  });

  it("answers the route for members only, and refuses a bad query with a 400 that says why", async () => {
    const viewer = await viewerFor(ada.id, team.id);
    const slug = viewer.workspaceSlug;
    expect((await get(slug, "tool=IMAGE")).status).toBe(404); // no session
    const outsider = await makeUser("Olga");
    session.userId = outsider.id;
    expect((await get(slug, "tool=IMAGE")).status).toBe(404); // not a member: as if it did not exist
    session.userId = ada.id;
    const ok = await get(slug, "tool=IMAGE&q=LIGHTHOUSE&limit=5");
    expect(ok.status).toBe(200);
    expect(ok.body.map((e: { prompt: string }) => e.prompt)).toEqual(["a red lighthouse"]);
    expect(await get(slug, "tool=EDIT")).toEqual({ status: 400, body: { error: "“tool” must be one of IMAGE, CONTROLNET, IMAGE_TO_VIDEO, NARRATOR." } });
    expect((await get(slug, "tool=IMAGE&limit=0x1")).status).toBe(400);
    expect(await get(slug, `tool=IMAGE&q=${"a".repeat(201)}`)).toEqual({ status: 400, body: { error: "Search for at most 200 characters." } });
    // Control characters are refused for every route's address (lib/media/api.ts) before the query is read.
    expect(await get(slug, "tool=IMAGE&q=%07")).toEqual({ status: 400, body: { error: expect.stringMatching(/control characters/) } });
  });
});
