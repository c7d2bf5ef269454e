import { readdir } from "node:fs/promises";
import path from "node:path";
import { removeTestFolders } from "@/lib/generations/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { deleteAsset, listAssetLibrary } from "@/lib/data/assets";
import { PURGE_QUEUE, type PurgePayload } from "@/lib/data/trash";
import { runPurge } from "@/lib/gallery/trash";
import { createAsset } from "@/lib/generations/assets";
import { assetFileKey } from "@/lib/media/files";
import { ForbiddenError, NotFoundError } from "@/lib/result";
import { storage } from "@/lib/storage/storage";
import { makeMp3, makePng } from "@/sandbox/test-support";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import type { Viewer } from "@/lib/authz";

afterAll(removeTestFolders);

let uploads = 0;
/** Uploads `bytes`, by default an image of its own (a colour per call): the same bytes twice would be recognised. */
async function upload(viewer: Viewer, name: string, bytes?: Uint8Array) {
  const color = `#${(++uploads * 2654435).toString(16).slice(-6).padStart(6, "0")}`;
  return createAsset(viewer, new File([new Uint8Array(bytes ?? (await makePng(40, 30, color)))], name));
}

/** The files stored under a workspace's assets folder. */
async function storedAssetFiles(workspaceId: string): Promise<string[]> {
  const dir = path.join(process.env.MEDIA_DIR!, "ws", workspaceId, "assets");
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** A team with an owner, a member and a viewer. */
async function team() {
  const owner = await makeUser("Olive Owner");
  const member = await makeUser("Mo Member");
  const viewer = await makeUser("Vi Viewer");
  const workspace = await makeTeam(owner.id);
  await addMember(workspace.id, member.id, "MEMBER");
  await addMember(workspace.id, viewer.id, "VIEWER");
  return {
    owner: await viewerFor(owner.id, workspace.id),
    member: await viewerFor(member.id, workspace.id),
    viewer: await viewerFor(viewer.id, workspace.id),
  };
}

describe("the asset library", () => {
  it("lists the workspace's uploads newest first, with the uploader, by type, in keyset pages", async () => {
    const { member, viewer } = await team();
    const first = await upload(member, "first.png");
    const voice = await upload(member, "voice.mp3", makeMp3());
    const third = await upload(member, "third.png");

    const all = await listAssetLibrary(viewer, {});
    expect(all.items.map((a) => a.name)).toEqual(["third.png", "voice.mp3", "first.png"]);
    expect(all.items[0]).toMatchObject({ id: third.id, kind: "IMAGE", width: 40, height: 30, createdBy: "Mo Member", mimeType: "image/png" });
    expect(all.nextCursor).toBeNull();

    expect((await listAssetLibrary(viewer, { kind: "AUDIO" })).items.map((a) => a.id)).toEqual([voice.id]);
    expect((await listAssetLibrary(viewer, { kind: "VIDEO" })).items).toEqual([]);

    const page1 = await listAssetLibrary(viewer, { limit: 2 });
    expect(page1.items.map((a) => a.id)).toEqual([third.id, voice.id]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await listAssetLibrary(viewer, { limit: 2, cursor: page1.nextCursor });
    expect(page2).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });
    // A tampered cursor reads as "from the start".
    expect((await listAssetLibrary(viewer, { limit: 2, cursor: "not-a-cursor" })).items[0]!.id).toBe(third.id);
  });

  it("keeps pages apart when uploads share a timestamp (the id breaks ties)", async () => {
    const { member } = await team();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await upload(member, `same-${i}.png`)).id);
    await db.asset.updateMany({ where: { id: { in: ids } }, data: { createdAt: new Date("2024-01-01T00:00:00Z") } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listAssetLibrary(member, { limit: 2, cursor });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it("never shows or deletes another workspace's asset: its id answers like a missing one", async () => {
    const { member } = await team();
    const mine = await upload(member, "mine.png");
    const stranger = await makeUser("Stan Stranger");
    const other = await viewerFor(stranger.id, stranger.personal.id);
    const theirs = await upload(other, "theirs.png");

    expect((await listAssetLibrary(member)).items.map((a) => a.id)).toEqual([mine.id]);
    await expect(deleteAsset(member, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteAsset(member, "no-such-asset")).rejects.toThrow("That file was not found.");
    expect(await assetFileKey(member, theirs.id, "original")).toBeNull();
    expect(await db.asset.count({ where: { id: theirs.id } })).toBe(1);
  });

  it("recognises the same file uploaded again (by content, whatever its name) and answers with the one it has", async () => {
    const { member, owner } = await team();
    const bytes = await makePng(48, 32, "#abcdef");
    const first = await upload(member, "mood.png", bytes);
    expect(first.existing).toBe(false);
    const again = await upload(owner, "mood (copy).png", bytes);
    expect(again).toMatchObject({ id: first.id, name: "mood.png", existing: true });
    const voice = await upload(member, "voice.mp3", makeMp3());
    expect(await upload(member, "voice-again.mp3", makeMp3())).toMatchObject({ id: voice.id, existing: true });

    expect(await db.asset.count({ where: { workspaceId: member.workspaceId } })).toBe(2);
    // One original and one thumbnail for the image, one file for the audio: nothing stored for the repeats.
    expect(await storedAssetFiles(member.workspaceId)).toHaveLength(3);
    // Each upload is in the audit log; a recognised one names the asset it matched.
    const audit = await db.auditEvent.findMany({ where: { workspaceId: member.workspaceId, action: "asset.uploaded" }, orderBy: { id: "asc" } });
    expect(audit.map((e) => [e.actorId, e.targetId, (e.details as { name: string; sameAs?: string }).sameAs ?? null])).toEqual([
      [member.userId, first.id, null],
      [owner.userId, first.id, "mood.png"],
      [member.userId, voice.id, null],
      [member.userId, voice.id, "voice.mp3"],
    ]);

    // Another workspace's copy of the same bytes is its own: workspaces never learn of each other's files.
    const stranger = await makeUser("Stan Stranger");
    const other = await viewerFor(stranger.id, stranger.personal.id);
    const theirs = await upload(other, "mood.png", bytes);
    expect(theirs.existing).toBe(false);
    expect(theirs.id).not.toBe(first.id);
  });

  it("two identical uploads at once keep one asset, and the loser's files are removed", async () => {
    const { member } = await team();
    const bytes = await makePng(64, 64, "#123456");
    const answers = await Promise.all([upload(member, "a.png", bytes), upload(member, "b.png", bytes), upload(member, "c.png", bytes)]);
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.filter((a) => !a.existing)).toHaveLength(1);
    expect(await db.asset.count({ where: { workspaceId: member.workspaceId } })).toBe(1);
    const row = await db.asset.findFirstOrThrow({ where: { workspaceId: member.workspaceId } });
    expect(await storedAssetFiles(member.workspaceId)).toEqual([path.basename(row.storageKey), path.basename(row.thumbKey!)].sort());
  });

  it("viewers browse but can't delete", async () => {
    const { member, viewer } = await team();
    const asset = await upload(member, "keep.png");
    expect((await listAssetLibrary(viewer)).items).toHaveLength(1);
    await expect(deleteAsset(viewer, asset.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db.asset.count({ where: { id: asset.id } })).toBe(1);
  });

  it("a member deletes an asset: row gone, audited, its files purged by the job", async () => {
    const { member, owner } = await team();
    const asset = await upload(member, "gone.png");
    const row = await db.asset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(await storage().stat(row.storageKey)).not.toBeNull();

    await expect(deleteAsset(member, asset.id)).resolves.toEqual({ id: asset.id, name: "gone.png" });
    expect(await db.asset.count({ where: { id: asset.id } })).toBe(0);
    expect((await listAssetLibrary(owner)).items).toEqual([]);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { workspaceId: member.workspaceId, action: "asset.deleted" } });
    expect(audit).toMatchObject({ actorId: member.userId, targetType: "asset", targetId: asset.id });
    expect(audit.details).toMatchObject({ name: "gone.png", kind: "image" });

    const job = await db.job.findFirstOrThrow({ where: { queue: PURGE_QUEUE, payload: { path: ["workspaceId"], equals: member.workspaceId } } });
    const payload = job.payload as PurgePayload;
    expect(payload.keys).toEqual(expect.arrayContaining([row.storageKey, row.thumbKey]));
    await runPurge(payload);
    expect(await storage().stat(row.storageKey)).toBeNull();
    expect(await storage().stat(row.thumbKey!)).toBeNull();

    // Deleting it again is a polite "not found", not an error page.
    await expect(deleteAsset(member, asset.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
