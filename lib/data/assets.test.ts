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

async function upload(viewer: Viewer, name: string, bytes?: Uint8Array) {
  return createAsset(viewer, new File([new Uint8Array(bytes ?? (await makePng(40, 30)))], name));
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
