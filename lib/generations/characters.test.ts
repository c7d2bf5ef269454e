import { removeTestFolders, sandboxHooks } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createCharacter, editCharacter, listCharacters } from "@/lib/generations/characters";
import { createAsset } from "@/lib/generations/assets";
import { getCatalog } from "@/lib/generations/catalog";
import { submitGeneration } from "@/lib/generations/submit";
import { generationQueues, generationTimings } from "@/lib/generations/worker";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";
import { makePng } from "@/sandbox/test-support";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";
import type { Viewer } from "@/lib/authz";

generationTimings.pollDelayMs = () => 150;

let worker: WorkerHandle;
beforeAll(() => {
  worker = startWorker({ queues: generationQueues, concurrency: 2, pollMs: 50, leaseMs: 5000, stopTimeoutMs: 300 });
});
afterAll(async () => {
  await worker.stop();
  await removeTestFolders();
});

async function newViewer(): Promise<Viewer> {
  const user = await makeUser("Cara Creator");
  return viewerFor(user.id, user.personal.id);
}

async function imageAsset(viewer: Viewer, color = "#3366cc") {
  const asset = await createAsset(viewer, new File([new Uint8Array(await makePng(512, 512, color))], "face.png", { type: "image/png" }));
  return { kind: "asset" as const, id: asset.id };
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe("characters of the workspace's provider account", () => {
  it("lists the provider's ready-made characters", async () => {
    const viewer = await newViewer();
    const list = await listCharacters(viewer);
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((c) => c.system)).toBe(true);
    expect(list.find((c) => c.name === "Alex")).toMatchObject({ system: true, type: "realistic", thumbnail: expect.stringMatching(/^http/) });
  });

  it("creates one from an image asset; the cached catalogue shows it at once", async () => {
    const viewer = await newViewer();
    await getCatalog(viewer); // warm the 5-minute cache: creating must refresh it
    const created = await createCharacter(viewer, { name: "Robin", type: "realistic", description: "a hiker with a red scarf", image: await imageAsset(viewer) });
    expect(created).toMatchObject({ name: "Robin", system: false, type: "realistic", description: "a hiker with a red scarf", thumbnail: expect.stringMatching(/^http/) });
    expect((await listCharacters(viewer))[0]).toMatchObject({ id: created.id, name: "Robin", system: false });
    expect((await getCatalog(viewer)).characters.some((c) => c.id === created.id)).toBe(true);
    // The image went to the provider through the presigned v2 flow, and is remembered for reuse.
    const calls = await sandboxHooks.calls(viewer.workspaceId);
    expect(calls.some((c) => c.method === "POST" && c.path.startsWith("/rendernet/pub/v2/assets/upload"))).toBe(true);
    expect(await db.providerAsset.count({ where: { workspaceId: viewer.workspaceId, kind: "IMAGE" } })).toBe(1);
  });

  it("refuses a duplicate name, ignoring case, and the name of a ready-made character", async () => {
    const viewer = await newViewer();
    const image = await imageAsset(viewer);
    await createCharacter(viewer, { name: "Robin", type: "realistic", description: "a hiker", image });
    const dup = await refusal(createCharacter(viewer, { name: "robin", type: "stylized", description: "another", image }));
    expect(dup).toMatchObject({ code: "conflict", fieldErrors: { name: ["There is already a character named “robin”. Choose another name."] } });
    const system = await refusal(createCharacter(viewer, { name: "ALEX", type: "realistic", description: "x", image }));
    expect(system.fieldErrors?.name?.[0]).toMatch(/ready-made characters/);
    expect((await listCharacters(viewer)).filter((c) => !c.system)).toHaveLength(1);
  });

  it("edits the type and description (keeping the image), or changes the image", async () => {
    const viewer = await newViewer();
    await getCatalog(viewer);
    const created = await createCharacter(viewer, { name: "Sam", type: "realistic", description: "a baker", image: await imageAsset(viewer) });
    const edited = await editCharacter(viewer, { characterId: created.id, type: "stylized", description: "a baker, watercolour", image: null });
    expect(edited).toMatchObject({ id: created.id, name: "Sam", type: "stylized", description: "a baker, watercolour", thumbnail: created.thumbnail });
    expect((await listCharacters(viewer)).find((c) => c.id === created.id)).toMatchObject({ type: "stylized", description: "a baker, watercolour" });

    const other = await editCharacter(viewer, { characterId: created.id, type: "stylized", description: "a baker", image: await imageAsset(viewer, "#cc3366") });
    expect(other.thumbnail).not.toBe(created.thumbnail);
    const puts = (await sandboxHooks.calls(viewer.workspaceId)).filter((c) => c.method === "PUT" && c.path.includes("/pub/v1/characters/"));
    expect(puts).toHaveLength(2);
  });

  it("refuses ready-made characters, unknown ids, and another workspace's asset", async () => {
    const viewer = await newViewer();
    const stranger = await newViewer();
    await expect(editCharacter(viewer, { characterId: "chr_sys_alex", type: "stylized", description: "x", image: null })).rejects.toMatchObject({ code: "forbidden" });
    await expect(editCharacter(viewer, { characterId: "chr_nope", type: "stylized", description: "x", image: null })).rejects.toBeInstanceOf(NotFoundError);
    const theirs = await imageAsset(stranger);
    await expect(createCharacter(viewer, { name: "Thief", type: "realistic", description: "x", image: theirs })).rejects.toBeInstanceOf(NotFoundError);
    // One workspace's character is not another's.
    const mine = await createCharacter(viewer, { name: "Mine", type: "realistic", description: "x", image: await imageAsset(viewer) });
    await expect(editCharacter(stranger, { characterId: mine.id, type: "stylized", description: "y", image: null })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("members create; viewers only see the list", async () => {
    const owner = await makeUser();
    const viewerUser = await makeUser();
    const team = await makeTeam(owner.id);
    await addMember(team.id, viewerUser.id, "VIEWER");
    const ownerViewer = await viewerFor(owner.id, team.id);
    const viewer = await viewerFor(viewerUser.id, team.id);
    const image = await imageAsset(ownerViewer);
    await expect(createCharacter(viewer, { name: "Nope", type: "realistic", description: "x", image })).rejects.toBeInstanceOf(ForbiddenError);
    const created = await createCharacter(ownerViewer, { name: "Team Face", type: "realistic", description: "x", image });
    expect((await listCharacters(viewer)).some((c) => c.id === created.id)).toBe(true);
    await expect(editCharacter(viewer, { characterId: created.id, type: "stylized", description: "y", image: null })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("an Image run accepts the new character and renders it", async () => {
    const viewer = await newViewer();
    await getCatalog(viewer);
    const character = await createCharacter(viewer, { name: "Juno", type: "realistic", description: "a climber", image: await imageAsset(viewer) });
    const result = await submitGeneration(viewer, {
      idempotencyKey: randomUUID(),
      boardId: null,
      run: {
        tool: "IMAGE",
        params: {
          base: { kind: "model", name: "RealVisXL" },
          prompt: "{Juno} on a mountain ridge at dawn",
          negativePrompt: "",
          aspectRatio: "1:1",
          batchSize: 1,
          seed: 3,
          loras: [],
          controlNet: null,
          faceLock: null,
          character: { id: character.id, name: "Juno", mode: "balanced" },
        },
      },
    });
    expect(result.status).toBe("QUEUED");
    const read = () => db.generation.findUniqueOrThrow({ where: { id: result.generationId } });
    let row = await read();
    await expect.poll(async () => (row = await read()).status, { timeout: 15_000, interval: 100 }).toBeOneOf(["SUCCEEDED", "FAILED", "REFUSED"]);
    expect(row.status).toBe("SUCCEEDED");
    expect((row.request as { items: { character?: unknown }[] }).items[0]?.character).toEqual({ character_id: character.id, mode: "balanced" });
  });
});
