import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { settleDenials } from "@/lib/data/denials";
import { listPresets } from "@/lib/data/presets";
import { addMember, makeMedia, makeTeam, makeUser, viewerFor } from "@/test/factories";

// The session is the only thing faked: the actions, their wrapper, the rows and PostgreSQL are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { createPresetAction, deletePresetAction, renamePresetAction, updatePresetAction } = await import("@/lib/actions/presets");
const { GET } = await import("@/app/api/w/[workspace]/presets/route");

/** What the Image form sends, inputs and seed included (a preset must drop them). */
const imageParams = {
  base: { kind: "model", name: "JuggernautXL", baseModel: "sdxl" },
  prompt: "a lighthouse at dusk",
  negativePrompt: "blurry, watermark",
  aspectRatio: "16:9",
  batchSize: 2,
  guidance: 8,
  steps: 25,
  sampler: "Euler a",
  quality: "Plus",
  seed: 1234,
  loras: [{ name: "Film grain", weight: 0.6 }],
  controlNet: { name: "canny-sdxl", image: { kind: "asset", id: "someones-photo" }, controlMode: 1, resizeMode: 2 },
  faceLock: { image: { kind: "media", id: "someones-face" } },
  character: null,
};

async function setting() {
  const owner = await makeUser("Olga Owner");
  const admin = await makeUser("Ada Admin");
  const member = await makeUser("Max Member");
  const viewer = await makeUser("Vic Viewer");
  const team = await makeTeam(owner.id);
  await addMember(team.id, admin.id, "ADMIN");
  await addMember(team.id, member.id, "MEMBER");
  await addMember(team.id, viewer.id, "VIEWER");
  return { owner, admin, member, viewer, team };
}

function as(userId: string) {
  session.userId = userId;
}

async function save(workspace: string, fields: Partial<Record<string, unknown>> = {}) {
  const result = await createPresetAction({ workspace, tool: "IMAGE", name: "Moody portrait", shared: false, params: imageParams, ...fields });
  if (!result.ok) throw new Error(`createPresetAction refused: ${result.error} ${JSON.stringify(result.fieldErrors)}`);
  return result.data;
}

async function audit(workspaceId: string, action: string) {
  return db.auditEvent.findMany({ where: { workspaceId, action }, orderBy: { id: "asc" } });
}

describe("presets", () => {
  beforeEach(() => {
    session.userId = null;
  });

  it("keeps every setting but the inputs and the seed, and lists mine and the shared ones per tool", async () => {
    const t = await setting();
    as(t.member.id);
    const personal = await save(t.team.slug);
    const shared = await save(t.team.slug, { name: "Team look", shared: true });
    await save(t.team.slug, { tool: "ENHANCE", name: "Crisp", params: { image: { kind: "asset", id: "x" }, strength: 0.3, scale: 2 } });

    const stored = await db.preset.findUniqueOrThrow({ where: { id: personal.id } });
    expect(stored.params).toEqual({
      base: { kind: "model", name: "JuggernautXL", baseModel: "sdxl" },
      prompt: "a lighthouse at dusk",
      negativePrompt: "blurry, watermark",
      aspectRatio: "16:9",
      batchSize: 2,
      guidance: 8,
      steps: 25,
      sampler: "Euler a",
      quality: "Plus",
      loras: [{ name: "Film grain", weight: 0.6 }],
      controlNet: { name: "canny-sdxl", controlMode: 1, resizeMode: 2 },
      faceLock: {},
      character: null,
    });
    expect(JSON.stringify(stored.params)).not.toMatch(/someones|1234/);
    const enhance = await db.preset.findFirstOrThrow({ where: { workspaceId: t.team.id, tool: "ENHANCE" } });
    expect(enhance.params).toEqual({ strength: 0.3, scale: 2 });

    // The author sees both; a teammate only the shared one, with its author; another tool has its own list.
    const mine = await listPresets(await viewerFor(t.member.id, t.team.id), "IMAGE");
    expect(mine.map((p) => [p.name, p.shared, p.mine, p.canEdit])).toEqual([
      ["Moody portrait", false, true, true],
      ["Team look", true, true, true],
    ]);
    const theirs = await listPresets(await viewerFor(t.admin.id, t.team.id), "IMAGE");
    expect(theirs.map((p) => [p.id, p.author, p.mine, p.canEdit])).toEqual([[shared.id, "Max Member", false, true]]);
    const viewers = await listPresets(await viewerFor(t.viewer.id, t.team.id), "IMAGE");
    expect(viewers.map((p) => [p.id, p.canEdit])).toEqual([[shared.id, false]]);
    expect((await listPresets(await viewerFor(t.member.id, t.team.id), "ENHANCE")).map((p) => p.name)).toEqual(["Crisp"]);

    // The route answers the same list, and refuses an unknown tool.
    as(t.admin.id);
    const answer = await GET(new Request(`http://atelier.test/api/w/${t.team.slug}/presets?tool=IMAGE`, { headers: { host: "atelier.test" } }), {
      params: Promise.resolve({ workspace: t.team.slug }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { id: string }[]).map((p) => p.id)).toEqual([shared.id]);
    const bad = await GET(new Request(`http://atelier.test/api/w/${t.team.slug}/presets?tool=PAINT`, { headers: { host: "atelier.test" } }), {
      params: Promise.resolve({ workspace: t.team.slug }),
    });
    expect(bad.status).toBe(400);
    expect(personal).toMatchObject({ name: "Moody portrait", shared: false });
  });

  it("checks the params with the tool's schema, the name's length, and lets the prompt be left to the form", async () => {
    const t = await setting();
    as(t.member.id);
    const flux = await createPresetAction({
      workspace: t.team.slug,
      tool: "IMAGE",
      name: "Flux with LoRAs",
      params: { ...imageParams, base: { kind: "model", name: "Flux" }, guidance: undefined, steps: undefined, sampler: undefined, quality: undefined, controlNet: null },
    });
    expect(flux).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { "params.loras": ["Flux doesn't take LoRAs."] } });
    const ratio = await createPresetAction({ workspace: t.team.slug, tool: "IMAGE", name: "Odd", params: { ...imageParams, aspectRatio: "7:3" } });
    expect(ratio).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { "params.aspectRatio": ["Choose an aspect ratio."] } });
    const wrongTool = await createPresetAction({ workspace: t.team.slug, tool: "ENHANCE", name: "Not enhance", params: imageParams });
    expect(wrongTool).toMatchObject({ ok: false, code: "invalid_input" });
    const long = await createPresetAction({ workspace: t.team.slug, tool: "IMAGE", name: "x".repeat(61), params: imageParams });
    expect(long).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { name: ["Use at most 60 characters."] } });
    expect(await db.preset.count({ where: { workspaceId: t.team.id } })).toBe(0);

    // 60 characters fit; an empty prompt is kept empty (applying it keeps the form's own).
    const fits = await save(t.team.slug, { name: "y".repeat(60), params: { ...imageParams, prompt: "  " } });
    expect(fits.params.prompt).toBe("");
    // A character's {Name} rule still holds when there is a prompt.
    const character = { id: "char-1", name: "Mira", mode: "balanced" };
    expect(await createPresetAction({ workspace: t.team.slug, tool: "IMAGE", name: "Mira", params: { ...imageParams, character } })).toMatchObject({
      ok: false,
      fieldErrors: { "params.prompt": ["Put {Mira} in the prompt where the character appears."] },
    });
    expect((await save(t.team.slug, { name: "Mira", params: { ...imageParams, prompt: "", character } })).params).toMatchObject({ prompt: "", character });
    // Edit keeps its find/replace but never the image.
    const edit = await save(t.team.slug, { tool: "EDIT", name: "Recolour", params: { image: { kind: "asset", id: "a" }, find: "the car", replace: "a green bicycle" } });
    expect(edit.params).toEqual({ find: "the car", replace: "a green bicycle" });
  });

  it("names are unique among my personal presets and among the workspace's shared ones", async () => {
    const t = await setting();
    as(t.member.id);
    await save(t.team.slug, { name: "Portrait" });
    expect(await createPresetAction({ workspace: t.team.slug, tool: "IMAGE", name: "Portrait", params: imageParams })).toMatchObject({
      ok: false,
      code: "conflict",
      fieldErrors: { name: ["You already have a preset called “Portrait” for this tool."] },
    });
    await save(t.team.slug, { name: "Portrait", shared: true }); // a shared one may share a personal one's name
    await save(t.team.slug, { name: "Portrait", tool: "CONTROLNET", params: { kind: "canny", prompt: "", guidance: 7, batch: 1, strength: 0.8, steps: 30, gpu: "a10g" } });
    as(t.admin.id);
    await save(t.team.slug, { name: "Portrait" }); // the admin's own personal one
    expect(await createPresetAction({ workspace: t.team.slug, tool: "IMAGE", name: "Portrait", shared: true, params: imageParams })).toMatchObject({
      ok: false,
      code: "conflict",
      error: "The workspace already shares a preset called “Portrait” for this tool.",
    });
    const other = await save(t.team.slug, { name: "Other", shared: true });
    expect(await renamePresetAction({ workspace: t.team.slug, presetId: other.id, name: "Portrait" })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("members save; shared presets are changed by their author, admins and owners; viewers only read", async () => {
    const t = await setting();
    as(t.owner.id);
    const owners = await save(t.team.slug, { name: "House style", shared: true });
    const ownersPersonal = await save(t.team.slug, { name: "Owner's own" });

    // A member may not rename, update or delete the owner's shared preset, nor see their personal one.
    as(t.member.id);
    const forbidden = { ok: false, code: "forbidden" };
    expect(await deletePresetAction({ workspace: t.team.slug, presetId: owners.id })).toMatchObject(forbidden);
    expect(await renamePresetAction({ workspace: t.team.slug, presetId: owners.id, name: "Mine now" })).toMatchObject(forbidden);
    expect(await updatePresetAction({ workspace: t.team.slug, presetId: owners.id, tool: "IMAGE", params: imageParams })).toMatchObject(forbidden);
    expect(await deletePresetAction({ workspace: t.team.slug, presetId: ownersPersonal.id })).toMatchObject({ ok: false, code: "not_found" });
    await settleDenials();
    expect((await audit(t.team.id, "access.forbidden")).filter((row) => row.actorId === t.member.id)).toHaveLength(1); // throttled to one a minute

    // A viewer saves nothing.
    as(t.viewer.id);
    expect(await createPresetAction({ workspace: t.team.slug, tool: "IMAGE", name: "Peek", params: imageParams })).toMatchObject(forbidden);

    // An admin may change it; the owner's personal preset stays invisible to the admin too.
    as(t.admin.id);
    const updated = await updatePresetAction({ workspace: t.team.slug, presetId: owners.id, tool: "IMAGE", params: { ...imageParams, aspectRatio: "9:16" } });
    expect(updated).toMatchObject({ ok: true, data: { params: { aspectRatio: "9:16" } } });
    expect(await renamePresetAction({ workspace: t.team.slug, presetId: owners.id, name: "House style v2" })).toEqual({ ok: true, data: null });
    expect(await renamePresetAction({ workspace: t.team.slug, presetId: ownersPersonal.id, name: "Peeked" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await db.preset.findUniqueOrThrow({ where: { id: owners.id } })).toMatchObject({ name: "House style v2", authorId: t.owner.id });
    const [renamed] = await audit(t.team.id, "preset.renamed");
    expect(renamed).toMatchObject({ actorId: t.admin.id, targetId: owners.id, details: { from: "House style", to: "House style v2", author: t.owner.email } });

    // A member changes their own.
    as(t.member.id);
    const own = await save(t.team.slug, { name: "Member's shared", shared: true });
    expect(await renamePresetAction({ workspace: t.team.slug, presetId: own.id, name: "Member's shared look" })).toEqual({ ok: true, data: null });
    expect(await deletePresetAction({ workspace: t.team.slug, presetId: own.id })).toMatchObject({ ok: true });
  });

  it("deleting returns what the undo needs, and the undo makes it again", async () => {
    const t = await setting();
    const board = await db.board.create({ data: { workspaceId: t.team.id, name: "Client picks" }, select: { id: true } });
    const [thumb] = await makeMedia(t.team.id, t.owner.id, 1);
    await db.media.update({ where: { id: thumb! }, data: { thumbKey: `ws/${t.team.id}/thumb.webp` } });
    as(t.owner.id);
    const preset = await save(t.team.slug, { name: "Keeper", shared: true, boardId: board.id, thumbnailMediaId: thumb });
    expect(preset.thumbUrl).toBe(`/api/w/${t.team.slug}/media/${thumb}/thumb`);

    const deleted = await deletePresetAction({ workspace: t.team.slug, presetId: preset.id });
    if (!deleted.ok) throw new Error(deleted.error);
    expect(await db.preset.count({ where: { id: preset.id } })).toBe(0);
    expect(deleted.data).toEqual({ tool: "IMAGE", name: "Keeper", shared: true, params: preset.params, boardId: board.id, thumbnailMediaId: thumb });

    const undone = await createPresetAction({ workspace: t.team.slug, ...deleted.data });
    expect(undone).toMatchObject({ ok: true, data: { name: "Keeper", shared: true, boardId: board.id, thumbnailMediaId: thumb, params: preset.params } });
    expect((await audit(t.team.id, "preset.deleted")).map((row) => row.details)).toEqual([{ name: "Keeper", tool: "IMAGE", shared: true }]);
    expect(await audit(t.team.id, "preset.created")).toHaveLength(2);

    // A deleted board or a trashed result is let go of, not shown.
    await db.board.delete({ where: { id: board.id } });
    await db.media.update({ where: { id: thumb! }, data: { deletedAt: new Date() } });
    const [listed] = await listPresets(await viewerFor(t.owner.id, t.team.id), "IMAGE");
    expect(listed).toMatchObject({ name: "Keeper", boardId: null, thumbUrl: null });
  });

  it("another workspace's preset, thumbnail or board is not found, and reported where it belongs", async () => {
    const t = await setting();
    as(t.owner.id);
    const theirs = await save(t.team.slug, { name: "Theirs", shared: true });
    const [theirThumb] = await makeMedia(t.team.id, t.owner.id, 1);
    await db.media.update({ where: { id: theirThumb! }, data: { thumbKey: "k" } });
    const theirBoard = await db.board.create({ data: { workspaceId: t.team.id, name: "Theirs" }, select: { id: true } });

    const mallory = await makeUser("Mallory");
    as(mallory.id);
    const slug = mallory.personal.slug;
    const missing = await deletePresetAction({ workspace: slug, presetId: "no-such-preset" });
    expect(missing).toMatchObject({ ok: false, code: "not_found" });
    expect(await deletePresetAction({ workspace: slug, presetId: theirs.id })).toEqual(missing);
    expect(await renamePresetAction({ workspace: slug, presetId: theirs.id, name: "Stolen" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await createPresetAction({ workspace: slug, tool: "IMAGE", name: "Mine", params: imageParams, boardId: theirBoard.id })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    await settleDenials();
    const reported = await db.auditEvent.findMany({ where: { workspaceId: t.team.id, action: "access.foreign_id", actorId: mallory.id } });
    // Throttled to one row a minute per person and workspace: the first probe, the preset.
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ targetType: "preset", targetId: theirs.id, details: { what: "deletePreset", target: "preset" } });

    // A thumbnail of another workspace, by someone else (the throttle is per person).
    const trudy = await makeUser("Trudy");
    as(trudy.id);
    const thumbRefused = await createPresetAction({ workspace: trudy.personal.slug, tool: "IMAGE", name: "Mine", params: imageParams, thumbnailMediaId: theirThumb });
    expect(thumbRefused).toMatchObject({ ok: false, code: "not_found", fieldErrors: { thumbnailMediaId: ["That result is no longer in the gallery."] } });
    await settleDenials();
    expect(await db.auditEvent.findMany({ where: { workspaceId: t.team.id, action: "access.foreign_id", actorId: trudy.id } })).toMatchObject([
      { targetType: "media", targetId: theirThumb, details: { what: "createPreset", target: "media" } },
    ]);

    expect(await db.preset.count({ where: { workspaceId: { in: [mallory.personal.id, trudy.personal.id] } } })).toBe(0);
    expect(await db.preset.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ name: "Theirs" });
    expect(await db.auditEvent.count({ where: { workspaceId: { in: [mallory.personal.id, trudy.personal.id] } } })).toBe(0);
  });
});
