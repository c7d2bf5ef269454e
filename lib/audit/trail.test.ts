import { removeTestFolders } from "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { AuditAction } from "@/lib/validation/audit-actions";
import { settleDenials } from "@/lib/data/denials";
import { createBoard } from "@/lib/data/boards";
import { createPreset } from "@/lib/data/presets";
import { saveProviderKey } from "@/lib/connections/settings";
import { createInvitation } from "@/lib/data/invitations";
import { createCharacter } from "@/lib/generations/characters";
import { createAsset } from "@/lib/generations/assets";
import { makePng } from "@/sandbox/test-support";
import { addMember, makeMedia, makeTeam, makeUser, viewerFor } from "@/test/factories";

/**
 * The audit trail, table-driven: every mutating server action (and the upload route) is performed for real, by a
 * signed-in user, against PostgreSQL and the in-process sandbox provider, and must leave exactly one entry with who
 * (actor and their email), what (action and target), where (workspace and address) and when (UTC, now). Only the
 * session is faked (Auth.js's cookie machinery); sign-out goes through the same events object Auth.js calls.
 * A second test reads the exports of lib/actions, so an action added without a row here fails.
 */

const net = vi.hoisted(() => ({ ip: "" }));
const session = vi.hoisted(() => ({ userId: null as string | null }));

// A documentation-range address (never fetched): unique per run, so the sign-up limiter of earlier runs can't trip.
net.ip = `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
vi.mock("next/headers", async () => {
  const { clientHeaderForTests } = await import("@/lib/http/testing");
  return { headers: async () => new Headers({ "x-atelier-client": clientHeaderForTests(net.ip) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// next-auth itself can't load outside Next (it imports next/server); lib/actions/auth.ts only needs its error class.
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("@/lib/auth/auth", async () => {
  const { authEvents } = await import("@/lib/auth/events");
  return {
    enabledOAuthProviders: () => [],
    auth: async () => (session.userId ? { userId: session.userId } : null),
    signIn: async () => undefined,
    // Auth.js ends the session, then reports it to the events it was configured with (lib/auth/events.ts).
    signOut: async () => {
      if (session.userId) await authEvents.signOut({ token: { sub: session.userId, sid: randomUUID() } });
    },
  };
});

const { deleteAssetAction } = await import("@/lib/actions/assets");
const { signOutAction, signUpAction } = await import("@/lib/actions/auth");
const { createBoardAction, deleteBoardAction, renameBoardAction } = await import("@/lib/actions/boards");
const { createCharacterAction, editCharacterAction } = await import("@/lib/actions/characters");
const { removeProviderKeyAction, saveProviderKeyAction, switchToSandboxAction, testConnectionAction } = await import("@/lib/actions/connections");
const { emptyTrashAction, favoriteMediaAction, moveToBoardAction, restoreMediaAction, trashMediaAction } = await import("@/lib/actions/gallery");
const { cancelBatchAction, pauseBatchAction, resumeBatchAction, startBatchAction } = await import("@/lib/actions/batches");
const { startBatch } = await import("@/lib/generations/batches/batches");
const { cancelGenerationAction, retryGenerationAction, submitGenerationAction, varyGenerationAction } = await import("@/lib/actions/generations");
const { acceptInvitationAction, createInvitationAction, revokeInvitationAction } = await import("@/lib/actions/invitations");
const { changeMemberRoleAction, removeMemberAction } = await import("@/lib/actions/members");
const { createPresetAction, deletePresetAction, renamePresetAction, updatePresetAction } = await import("@/lib/actions/presets");
const { setMemberBudgetAction } = await import("@/lib/actions/usage");
const { createWorkspaceAction, leaveWorkspaceAction, renameWorkspaceAction } = await import("@/lib/actions/workspaces");
const { POST: uploadAsset } = await import("@/app/api/w/[workspace]/assets/route");

afterAll(removeTestFolders);
beforeEach(() => {
  session.userId = null;
});

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

/** Someone signed in, in their personal workspace. */
async function solo(name = "Sol Solo") {
  const user = await makeUser(name);
  session.userId = user.id;
  return { user, workspace: user.personal, viewer: await viewerFor(user.id, user.personal.id) };
}

/** A team: an owner (signed in) and a member. */
async function team() {
  const owner = await makeUser("Olive Owner");
  const member = await makeUser("Mia Member");
  const workspace = await makeTeam(owner.id);
  const membership = await addMember(workspace.id, member.id, "MEMBER");
  session.userId = owner.id;
  return { owner, member, workspace, membership, ownerViewer: await viewerFor(owner.id, workspace.id) };
}

async function pngAsset(viewer: Awaited<ReturnType<typeof solo>>["viewer"], name = "face.png") {
  return createAsset(viewer, new File([new Uint8Array(await makePng(256, 256))], name, { type: "image/png" }));
}

const imageRun = {
  tool: "IMAGE" as const,
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt: "a lighthouse at dusk",
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize: 1,
    seed: 7,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
};

/** The newest entry's id before the action: what is written after it is the action's. */
async function mark(): Promise<bigint> {
  const last = await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return last?.id ?? 0n;
}

/** Server actions that end in redirect() throw Next's redirect signal; the work before it is what counts. */
async function redirected(call: Promise<unknown>): Promise<void> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(String((error as { digest?: unknown } | null)?.digest)).toMatch(/^NEXT_REDIRECT/);
}

function expectOk(result: { ok: boolean; error?: string }) {
  expect(result.ok, result.error).toBe(true);
}

// ---------------------------------------------------------------------------------------------------------------
// The table

type Done = {
  since: bigint;
  actorId: string;
  workspaceId: string | null;
  target: { type: string | null; id: string | null };
  details?: Record<string, unknown>;
};

type Row = { name: string; audit: AuditAction; perform: () => Promise<Done> };

const TRAIL: Row[] = [
  {
    name: "deleteAssetAction",
    audit: "asset.deleted",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const asset = await pngAsset(viewer);
      const since = await mark();
      expectOk(await deleteAssetAction({ workspace: workspace.slug, assetId: asset.id }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "asset", id: asset.id }, details: { name: "face.png" } };
    },
  },
  {
    name: "POST /api/w/[workspace]/assets",
    audit: "asset.uploaded",
    perform: async () => {
      const { user, workspace } = await solo();
      const form = new FormData();
      form.set("file", new File([new Uint8Array(await makePng(64, 64))], "upload.png", { type: "image/png" }));
      const since = await mark();
      const response = await uploadAsset(new Request(`http://127.0.0.1/api/w/${workspace.slug}/assets`, { method: "POST", body: form, headers: { origin: "http://127.0.0.1" } }), {
        params: Promise.resolve({ workspace: workspace.slug }),
      });
      expect(response.status).toBe(201);
      const asset = (await response.json()) as { id: string };
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "asset", id: asset.id }, details: { name: "upload.png", kind: "image" } };
    },
  },
  {
    name: "POST /api/w/[workspace]/assets, a file the workspace has already",
    audit: "asset.uploaded",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const first = await pngAsset(viewer);
      const form = new FormData();
      form.set("file", new File([new Uint8Array(await makePng(256, 256))], "face again.png", { type: "image/png" }));
      const since = await mark();
      const response = await uploadAsset(new Request(`http://127.0.0.1/api/w/${workspace.slug}/assets`, { method: "POST", body: form, headers: { origin: "http://127.0.0.1" } }), {
        params: Promise.resolve({ workspace: workspace.slug }),
      });
      // 200, not 201: nothing new was stored; the answer is the asset already there.
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: first.id, name: "face.png", existing: true });
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "asset", id: first.id }, details: { name: "face again.png", sameAs: "face.png" } };
    },
  },
  {
    name: "createBoardAction",
    audit: "board.created",
    perform: async () => {
      const { user, workspace } = await solo();
      const since = await mark();
      const result = await createBoardAction({ workspace: workspace.slug, name: "Picks" });
      expectOk(result);
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "board", id: result.ok ? result.data.id : null }, details: { name: "Picks" } };
    },
  },
  {
    name: "renameBoardAction",
    audit: "board.renamed",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const board = await createBoard(viewer, "Old name");
      const since = await mark();
      expectOk(await renameBoardAction({ workspace: workspace.slug, boardId: board.id, name: "New name" }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "board", id: board.id }, details: { from: "Old name", to: "New name" } };
    },
  },
  {
    name: "deleteBoardAction",
    audit: "board.deleted",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const board = await createBoard(viewer, "Doomed");
      const since = await mark();
      expectOk(await deleteBoardAction({ workspace: workspace.slug, boardId: board.id }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "board", id: board.id }, details: { name: "Doomed" } };
    },
  },
  {
    name: "createPresetAction",
    audit: "preset.created",
    perform: async () => {
      const { user, workspace } = await solo();
      const since = await mark();
      const result = await createPresetAction({ workspace: workspace.slug, tool: "IMAGE", name: "Dusk", shared: true, params: imageRun.params });
      expectOk(result);
      const id = result.ok ? result.data.id : null;
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "preset", id }, details: { name: "Dusk", tool: "IMAGE", shared: true } };
    },
  },
  {
    name: "renamePresetAction",
    audit: "preset.renamed",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const preset = await createPreset(viewer, { tool: "IMAGE", name: "Old look", shared: false, params: imageRun.params, boardId: null, thumbnailMediaId: null });
      const since = await mark();
      expectOk(await renamePresetAction({ workspace: workspace.slug, presetId: preset.id, name: "New look" }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "preset", id: preset.id }, details: { from: "Old look", to: "New look" } };
    },
  },
  {
    name: "updatePresetAction",
    audit: "preset.updated",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const preset = await createPreset(viewer, { tool: "IMAGE", name: "Look", shared: false, params: imageRun.params, boardId: null, thumbnailMediaId: null });
      const since = await mark();
      expectOk(await updatePresetAction({ workspace: workspace.slug, presetId: preset.id, tool: "IMAGE", params: { ...imageRun.params, aspectRatio: "16:9" } }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "preset", id: preset.id }, details: { name: "Look", tool: "IMAGE" } };
    },
  },
  {
    name: "deletePresetAction",
    audit: "preset.deleted",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const preset = await createPreset(viewer, { tool: "IMAGE", name: "Gone", shared: false, params: imageRun.params, boardId: null, thumbnailMediaId: null });
      const since = await mark();
      expectOk(await deletePresetAction({ workspace: workspace.slug, presetId: preset.id }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "preset", id: preset.id }, details: { name: "Gone", shared: false } };
    },
  },
  {
    name: "createCharacterAction",
    audit: "character.created",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const asset = await pngAsset(viewer);
      const since = await mark();
      const result = await createCharacterAction({
        workspace: workspace.slug,
        name: "Robin",
        type: "realistic",
        description: "a hiker with a red scarf",
        image: { kind: "asset", id: asset.id },
      });
      expectOk(result);
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "character", id: result.ok ? result.data.id : null }, details: { name: "Robin" } };
    },
  },
  {
    name: "editCharacterAction",
    audit: "character.edited",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const asset = await pngAsset(viewer);
      const character = await createCharacter(viewer, { name: "Wren", type: "realistic", description: "a sailor", image: { kind: "asset", id: asset.id } });
      const since = await mark();
      expectOk(
        await editCharacterAction({
          workspace: workspace.slug,
          characterId: character.id,
          type: "stylized",
          description: "a sailor, drawn",
          image: { kind: "asset", id: asset.id },
        }),
      );
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "character", id: character.id }, details: { name: "Wren", type: "stylized" } };
    },
  },
  {
    name: "saveProviderKeyAction",
    audit: "connection.key_set",
    perform: async () => {
      const { user, workspace } = await solo();
      const since = await mark();
      expectOk(await saveProviderKeyAction({ workspace: workspace.slug, provider: "RENDERNET", key: "rn-live-0123456789abcdef4680" }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "provider", id: "RENDERNET" }, details: { key: "ending 4680" } };
    },
  },
  {
    name: "switchToSandboxAction",
    audit: "connection.mode_changed",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      await saveProviderKey(viewer, "RENDERNET", "rn-live-0123456789abcdef1234", "");
      const since = await mark();
      expectOk(await switchToSandboxAction({ workspace: workspace.slug, provider: "RENDERNET" }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "provider", id: "RENDERNET" }, details: { key: "ending 1234", now: "sandbox" } };
    },
  },
  {
    name: "removeProviderKeyAction",
    audit: "connection.key_removed",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      await saveProviderKey(viewer, "RENDERNET", "rn-live-0123456789abcdef5678", "");
      const since = await mark();
      expectOk(await removeProviderKeyAction({ workspace: workspace.slug, provider: "RENDERNET" }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "provider", id: "RENDERNET" }, details: { key: "ending 5678" } };
    },
  },
  {
    name: "testConnectionAction",
    audit: "connection.tested",
    perform: async () => {
      const { user, workspace } = await solo();
      const since = await mark();
      expectOk(await testConnectionAction({ workspace: workspace.slug, provider: "RENDERNET" }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "provider", id: "RENDERNET" }, details: { ok: true } };
    },
  },
  {
    name: "favoriteMediaAction",
    audit: "media.favorited",
    perform: async () => {
      const { user, workspace } = await solo();
      const ids = await makeMedia(workspace.id, user.id, 2);
      const since = await mark();
      expectOk(await favoriteMediaAction({ workspace: workspace.slug, mediaIds: ids, favorite: true }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "media", id: null }, details: { items: 2, ids: expect.arrayContaining(ids) } };
    },
  },
  {
    name: "moveToBoardAction",
    audit: "media.moved",
    perform: async () => {
      const { user, workspace, viewer } = await solo();
      const [id] = await makeMedia(workspace.id, user.id, 1);
      const board = await createBoard(viewer, "Client picks");
      const since = await mark();
      expectOk(await moveToBoardAction({ workspace: workspace.slug, mediaIds: [id!], boardId: board.id }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "media", id: id! }, details: { items: 1, board: "Client picks", ids: [id] } };
    },
  },
  {
    name: "trashMediaAction",
    audit: "media.trashed",
    perform: async () => {
      const { user, workspace } = await solo();
      const ids = await makeMedia(workspace.id, user.id, 3);
      const since = await mark();
      expectOk(await trashMediaAction({ workspace: workspace.slug, mediaIds: ids }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "media", id: null }, details: { items: 3, ids: expect.arrayContaining(ids) } };
    },
  },
  {
    name: "restoreMediaAction",
    audit: "media.restored",
    perform: async () => {
      const { user, workspace } = await solo();
      const [id] = await makeMedia(workspace.id, user.id, 1, { trashed: true });
      const since = await mark();
      expectOk(await restoreMediaAction({ workspace: workspace.slug, mediaIds: [id!] }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "media", id: id! }, details: { items: 1 } };
    },
  },
  {
    name: "emptyTrashAction",
    audit: "trash.emptied",
    perform: async () => {
      const { user, workspace } = await solo();
      const ids = await makeMedia(workspace.id, user.id, 2, { trashed: true });
      const since = await mark();
      expectOk(await emptyTrashAction({ workspace: workspace.slug, mediaIds: ids }));
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "media", id: null }, details: { items: 2, scope: "selected", ids: expect.arrayContaining(ids) } };
    },
  },
  {
    name: "submitGenerationAction",
    audit: "generation.submitted",
    perform: async () => {
      const { user, workspace } = await solo();
      const since = await mark();
      const result = await submitGenerationAction({ workspace: workspace.slug, idempotencyKey: randomUUID(), boardId: null, run: imageRun });
      expectOk(result);
      return {
        since,
        actorId: user.id,
        workspaceId: workspace.id,
        target: { type: "generation", id: result.ok ? result.data.generationId : null },
        details: { tool: "IMAGE", credits: expect.any(Number) },
      };
    },
  },
  {
    name: "retryGenerationAction",
    audit: "generation.submitted",
    perform: async () => {
      const { user, workspace } = await solo();
      const failed = await db.generation.create({
        data: { workspaceId: workspace.id, createdById: user.id, tool: "IMAGE", provider: "RENDERNET", status: "FAILED", idempotencyKey: randomUUID(), params: imageRun.params },
      });
      const since = await mark();
      const result = await retryGenerationAction({ workspace: workspace.slug, generationId: failed.id, idempotencyKey: randomUUID() });
      expectOk(result);
      return {
        since,
        actorId: user.id,
        workspaceId: workspace.id,
        target: { type: "generation", id: result.ok ? result.data.generationId : null },
        details: { tool: "IMAGE", retryOf: failed.id },
      };
    },
  },
  {
    name: "varyGenerationAction",
    audit: "generation.submitted",
    perform: async () => {
      const { user, workspace } = await solo();
      const done = await db.generation.create({
        data: { workspaceId: workspace.id, createdById: user.id, tool: "IMAGE", provider: "RENDERNET", status: "SUCCEEDED", idempotencyKey: randomUUID(), params: imageRun.params },
      });
      const since = await mark();
      const result = await varyGenerationAction({ workspace: workspace.slug, generationId: done.id, idempotencyKey: randomUUID() });
      expectOk(result);
      return {
        since,
        actorId: user.id,
        workspaceId: workspace.id,
        target: { type: "generation", id: result.ok ? result.data.generationId : null },
        details: { tool: "IMAGE", variationOf: done.id },
      };
    },
  },
  ...batchRows(),
  {
    name: "cancelGenerationAction",
    audit: "generation.cancelled",
    perform: async () => {
      const { user, workspace } = await solo();
      // Recorded and not yet sent (no worker runs in this file): cancelled on the spot.
      const queued = await db.generation.create({
        data: { workspaceId: workspace.id, createdById: user.id, tool: "IMAGE", provider: "RENDERNET", status: "QUEUED", idempotencyKey: randomUUID(), params: imageRun.params },
      });
      const since = await mark();
      const result = await cancelGenerationAction({ workspace: workspace.slug, generationId: queued.id });
      expectOk(result);
      return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "generation", id: queued.id }, details: { tool: "IMAGE", provider: "RenderNet", sent: false } };
    },
  },
  {
    name: "createInvitationAction",
    audit: "invitation.created",
    perform: async () => {
      const { owner, workspace } = await team();
      const since = await mark();
      const result = await createInvitationAction({ workspace: workspace.slug, role: "MEMBER", expiresInDays: 7 });
      expectOk(result);
      return { since, actorId: owner.id, workspaceId: workspace.id, target: { type: "invitation", id: result.ok ? result.data.id : null }, details: { role: "MEMBER" } };
    },
  },
  {
    name: "revokeInvitationAction",
    audit: "invitation.revoked",
    perform: async () => {
      const { owner, workspace, ownerViewer } = await team();
      const invitation = await createInvitation(ownerViewer, { role: "VIEWER", expiresInDays: 1 });
      const since = await mark();
      expectOk(await revokeInvitationAction({ workspace: workspace.slug, invitationId: invitation.id }));
      return { since, actorId: owner.id, workspaceId: workspace.id, target: { type: "invitation", id: invitation.id }, details: { role: "VIEWER" } };
    },
  },
  {
    name: "acceptInvitationAction",
    audit: "invitation.accepted",
    perform: async () => {
      const { workspace, ownerViewer } = await team();
      const invitation = await createInvitation(ownerViewer, { role: "MEMBER", expiresInDays: 7 });
      const joiner = await makeUser("Jo Joiner");
      session.userId = joiner.id;
      const since = await mark();
      expectOk(await acceptInvitationAction({ token: invitation.token }));
      return { since, actorId: joiner.id, workspaceId: workspace.id, target: { type: "invitation", id: invitation.id }, details: { role: "MEMBER" } };
    },
  },
  {
    name: "changeMemberRoleAction",
    audit: "member.role_changed",
    perform: async () => {
      const { owner, member, workspace, membership } = await team();
      const since = await mark();
      expectOk(await changeMemberRoleAction({ workspace: workspace.slug, membershipId: membership.id, role: "VIEWER" }));
      return { since, actorId: owner.id, workspaceId: workspace.id, target: { type: "user", id: member.id }, details: { from: "MEMBER", to: "VIEWER" } };
    },
  },
  {
    name: "removeMemberAction",
    audit: "member.removed",
    perform: async () => {
      const { owner, member, workspace, membership } = await team();
      const since = await mark();
      expectOk(await removeMemberAction({ workspace: workspace.slug, membershipId: membership.id }));
      return { since, actorId: owner.id, workspaceId: workspace.id, target: { type: "user", id: member.id }, details: { email: member.email } };
    },
  },
  {
    name: "setMemberBudgetAction",
    audit: "member.budget_changed",
    perform: async () => {
      const { owner, workspace, membership } = await team();
      const since = await mark();
      expectOk(await setMemberBudgetAction({ workspace: workspace.slug, membershipId: membership.id, budget: 500 }));
      return { since, actorId: owner.id, workspaceId: workspace.id, target: { type: "membership", id: membership.id }, details: { from: null, to: 500 } };
    },
  },
  {
    name: "createWorkspaceAction",
    audit: "workspace.created",
    perform: async () => {
      const { user } = await solo();
      const since = await mark();
      const result = await createWorkspaceAction({ name: "Night Studio" });
      expectOk(result);
      const created = await db.workspace.findUniqueOrThrow({ where: { slug: result.ok ? result.data.slug : "" }, select: { id: true } });
      return { since, actorId: user.id, workspaceId: created.id, target: { type: "workspace", id: created.id }, details: { name: "Night Studio" } };
    },
  },
  {
    name: "renameWorkspaceAction",
    audit: "workspace.renamed",
    perform: async () => {
      const { owner, workspace } = await team();
      const since = await mark();
      expectOk(await renameWorkspaceAction({ workspace: workspace.slug, name: "Renamed studio" }));
      return { since, actorId: owner.id, workspaceId: workspace.id, target: { type: "workspace", id: workspace.id }, details: { from: workspace.name, to: "Renamed studio" } };
    },
  },
  {
    name: "leaveWorkspaceAction",
    audit: "member.left",
    perform: async () => {
      const { member, workspace } = await team();
      session.userId = member.id;
      const since = await mark();
      expectOk(await leaveWorkspaceAction({ workspace: workspace.slug }));
      return { since, actorId: member.id, workspaceId: workspace.id, target: { type: "user", id: member.id }, details: { role: "MEMBER" } };
    },
  },
  {
    name: "signUpAction",
    audit: "auth.signed_up",
    perform: async () => {
      const email = `${randomUUID()}@example.test`;
      const since = await mark();
      await redirected(signUpAction({ name: "Nia New", email, password: "correct horse battery" }));
      const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
      return { since, actorId: user.id, workspaceId: null, target: { type: "user", id: user.id }, details: { method: "password" } };
    },
  },
  {
    name: "signOutAction",
    audit: "auth.signed_out",
    perform: async () => {
      const { user } = await solo();
      const since = await mark();
      await redirected(signOutAction({}));
      return { since, actorId: user.id, workspaceId: null, target: { type: null, id: null } };
    },
  },
];

/** The batch matrix's actions (lib/actions/batches.ts): no worker runs here, so a started batch stays where it is put. */
function batchRows(): Row[] {
  const plan = {
    settings: { negativePrompt: "", batchSize: 1, loras: [], controlNet: null, faceLock: null, character: null },
    prompts: ["a lighthouse at dusk", "a harbour"],
    bases: [{ kind: "model" as const, name: "JuggernautXL" }],
    aspectRatios: ["1:1" as const],
    seeds: { mode: "random" as const, count: 1 },
  };
  const started = async (state: "RUNNING" | "PAUSED") => {
    const { user, workspace, viewer } = await solo();
    const { batchId } = await startBatch(viewer, { name: "Coast", capCredits: 10, plan });
    if (state === "PAUSED") await db.batch.update({ where: { id: batchId }, data: { state: "PAUSED" } });
    return { user, workspace, batchId, since: await mark() };
  };
  return [
    {
      name: "startBatchAction",
      audit: "batch.started",
      perform: async () => {
        const { user, workspace } = await solo();
        const since = await mark();
        const result = await startBatchAction({ workspace: workspace.slug, name: "Coast", capCredits: 10, plan });
        expectOk(result);
        const batchId = (result as { data: { batchId: string } }).data.batchId;
        return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "batch", id: batchId }, details: { name: "Coast", runs: 2, cap: 10, board: "Batch · Coast" } };
      },
    },
    {
      name: "pauseBatchAction",
      audit: "batch.paused",
      perform: async () => {
        const { user, workspace, batchId, since } = await started("RUNNING");
        expectOk(await pauseBatchAction({ workspace: workspace.slug, batchId }));
        return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "batch", id: batchId }, details: { name: "Coast" } };
      },
    },
    {
      name: "resumeBatchAction",
      audit: "batch.resumed",
      perform: async () => {
        const { user, workspace, batchId, since } = await started("PAUSED");
        expectOk(await resumeBatchAction({ workspace: workspace.slug, batchId, capCredits: 20 }));
        return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "batch", id: batchId }, details: { name: "Coast", cap: 20 } };
      },
    },
    {
      name: "cancelBatchAction",
      audit: "batch.cancelled",
      perform: async () => {
        const { user, workspace, batchId, since } = await started("RUNNING");
        expectOk(await cancelBatchAction({ workspace: workspace.slug, batchId }));
        return { since, actorId: user.id, workspaceId: workspace.id, target: { type: "batch", id: batchId }, details: { name: "Coast", notSubmitted: 2 } };
      },
    },
  ];
}

/**
 * Exports of lib/actions that write nothing themselves, and why. Sign-ins are recorded by the credentials check and
 * Auth.js's signIn event (lib/audit/audit.test.ts).
 */
const NOT_CHANGES: Record<string, string> = {
  signInAction: "auth.sign_in / auth.sign_in_failed, written by lib/auth/credentials.ts and Auth.js's signIn event",
  signInWithProviderAction: "starts an OAuth redirect; the sign-in itself is Auth.js's signIn event",
  estimateVariationAction: "a read (prices Vary on a run, changes nothing)",
};

describe("the audit trail", () => {
  it.each(TRAIL.map((row) => [row.name, row] as const))("%s leaves one entry", async (_name, row) => {
    const done = await row.perform();
    await settleDenials();
    const rows = await db.auditEvent.findMany({
      where: {
        id: { gt: done.since },
        OR: [{ actorId: done.actorId }, ...(done.workspaceId ? [{ workspaceId: done.workspaceId }] : [])],
      },
    });
    expect(rows.map((r) => r.action)).toEqual([row.audit]);
    const entry = rows[0]!;
    const actor = await db.user.findUniqueOrThrow({ where: { id: done.actorId }, select: { email: true } });
    expect(entry).toMatchObject({
      actorId: done.actorId,
      actorEmail: actor.email,
      workspaceId: done.workspaceId,
      targetType: done.target.type,
      targetId: done.target.id,
      ipAddress: net.ip,
    });
    if (done.details) expect(entry.details).toMatchObject(done.details);
    // When: now, in UTC (a timestamp read back as UTC that was written in another zone would be hours off).
    expect(Math.abs(entry.createdAt.getTime() - Date.now())).toBeLessThan(30_000);
    // Never a secret: no provider key in any entry.
    expect(JSON.stringify(entry.details ?? {})).not.toMatch(/rn-live-/);
  });

  it("a change that fails or changes nothing writes nothing (the entry commits with the change)", async () => {
    const { user, workspace, viewer } = await solo();
    const board = await createBoard(viewer, "Picks");
    await createBoard(viewer, "Taken");
    const since = await mark();
    expect(await renameBoardAction({ workspace: workspace.slug, boardId: board.id, name: "Taken" })).toMatchObject({ ok: false, code: "conflict" });
    expectOk(await renameBoardAction({ workspace: workspace.slug, boardId: board.id, name: "Picks" }));
    expect(await createBoardAction({ workspace: workspace.slug, name: "Taken" })).toMatchObject({ ok: false, code: "conflict" });
    const [id] = await makeMedia(workspace.id, user.id, 1, { trashed: true });
    expect(await trashMediaAction({ workspace: workspace.slug, mediaIds: [id!] })).toMatchObject({ ok: false, code: "not_found" });
    await settleDenials();
    expect(await db.auditEvent.count({ where: { id: { gt: since }, OR: [{ actorId: user.id }, { workspaceId: workspace.id }] } })).toBe(0);
    expect(await db.board.findUniqueOrThrow({ where: { id: board.id } })).toMatchObject({ name: "Picks" });
  });

  it("has a row for every action lib/actions exports (a new action without one fails here)", async () => {
    const dir = path.join(import.meta.dirname, "../actions");
    const exported: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "action-client.ts")) {
      const actions = (await import(path.join(dir, file))) as Record<string, unknown>;
      exported.push(...Object.keys(actions));
    }
    expect(exported.length).toBeGreaterThan(25);
    const covered = [...TRAIL.map((row) => row.name), ...Object.keys(NOT_CHANGES)].filter((name) => !name.includes("/"));
    expect([...exported].sort()).toEqual([...new Set(covered)].sort());
  });
});
