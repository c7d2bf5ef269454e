import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, inject, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Viewer } from "@/lib/authz";
import { AUDIT_ACTION_KEYS, AUDIT_GROUPS } from "@/lib/validation/audit-actions";
import { describeAuditEvent } from "@/lib/data/audit-describe";
import { recordSignIn } from "@/lib/audit/sign-in";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/crypto/passwords";
import { clientHeaderForTests } from "@/lib/http/testing";
import { listAuditEvents } from "@/lib/data/audit";
import { createBoard, deleteBoard } from "@/lib/data/boards";
import { createInvitation, revokeInvitation } from "@/lib/data/invitations";
import { changeMemberRole, leaveWorkspace, removeMember } from "@/lib/data/members";
import { renameWorkspace } from "@/lib/data/workspaces";
import { emptyTrash } from "@/lib/gallery/trash";
import { ForbiddenError } from "@/lib/result";
import { EMPTY_AUDIT_FILTERS, auditParamsOf, parseAuditParams, parseAuditQuery, type AuditFilters } from "@/lib/validation/audit";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

// The request every recorded change is made in: the address comes from the header the server front sets (and the
// rate limiters read).
const requestHeaders = vi.hoisted(() => ({ value: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => requestHeaders.value }));
requestHeaders.value = new Headers({ "x-atelier-client": clientHeaderForTests("203.0.113.9") });
const signInRequest = () => new Request("http://atelier.test/api/auth/callback/credentials", { method: "POST", headers: requestHeaders.value });

const PASSWORD = "correct horse battery";

async function team() {
  const owner = await makeUser("Olive Owner");
  const admin = await makeUser("Adam Admin");
  const member = await makeUser("Mia Member");
  const workspace = await makeTeam(owner.id);
  const adminMembership = await addMember(workspace.id, admin.id, "ADMIN");
  const memberMembership = await addMember(workspace.id, member.id, "MEMBER");
  return {
    owner,
    admin,
    member,
    workspace,
    adminMembership,
    memberMembership,
    ownerViewer: await viewerFor(owner.id, workspace.id),
    adminViewer: await viewerFor(admin.id, workspace.id),
    memberViewer: await viewerFor(member.id, workspace.id),
  };
}

const entriesOf = (where: Prisma.AuditEventWhereInput) => db.auditEvent.findMany({ where, orderBy: { id: "asc" } });

async function insert(data: Prisma.AuditEventUncheckedCreateInput) {
  return db.auditEvent.create({ data });
}

async function listAll(viewer: Viewer, filters: Partial<AuditFilters> = {}) {
  const out = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page = await listAuditEvents(viewer, { ...EMPTY_AUDIT_FILTERS, ...filters }, cursor);
    out.push(...page.events);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

describe("audit log: what is recorded", () => {
  it("records failed sign-ins (known email as that account, unknown as typed) and successful ones, with the address", async () => {
    const user = await makeUser("Sam Signin");
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD) } });

    expect(await authorizeCredentials({ email: `  ${user.email.toUpperCase()} `, password: "not the password" }, signInRequest())).toBeNull();
    const [failed] = await entriesOf({ actorId: user.id });
    expect(failed).toMatchObject({
      action: "auth.sign_in_failed",
      workspaceId: null,
      actorId: user.id,
      actorEmail: user.email,
      ipAddress: "203.0.113.9",
      details: { method: "password", reason: "wrong_password" },
    });

    const unknown = `Nobody-${randomUUID()}@Example.test`;
    expect(await authorizeCredentials({ email: ` ${unknown} `, password: PASSWORD }, signInRequest())).toBeNull();
    const [stranger] = await entriesOf({ actorEmail: unknown.toLowerCase() });
    expect(stranger).toMatchObject({ action: "auth.sign_in_failed", actorId: null, workspaceId: null, details: { reason: "unknown_email" } });

    // Not even an email (a hand-made request): what was typed, cut to 200 characters.
    const garbage = `${randomUUID()}${"x".repeat(400)}`;
    expect(await authorizeCredentials({ email: garbage, password: "" }, signInRequest())).toBeNull();
    const [malformed] = await entriesOf({ actorEmail: { startsWith: garbage.slice(0, 36) } });
    expect(malformed?.actorEmail).toHaveLength(200);
    expect(malformed?.details).toMatchObject({ reason: "invalid_input" });

    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await authorizeCredentials({ email: user.email, password: PASSWORD }, signInRequest())).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: null } });
    expect(await authorizeCredentials({ email: user.email, password: PASSWORD }, signInRequest())).toMatchObject({ id: user.id });
    // Auth.js then reports the sign-in (events.signIn), which records it.
    await recordSignIn({ id: user.id, email: user.email }, "password");

    const entries = await entriesOf({ actorId: user.id });
    expect(entries.map((e) => [e.action, (e.details as { reason?: string }).reason ?? null])).toEqual([
      ["auth.sign_in_failed", "wrong_password"],
      ["auth.sign_in_failed", "account_disabled"],
      ["auth.sign_in", null],
    ]);
    expect(entries[2]).toMatchObject({ workspaceId: null, actorEmail: user.email, ipAddress: "203.0.113.9" });
  });

  it("records role changes, removals and leaving, with the member's email; a refused change records nothing", async () => {
    const t = await team();
    await changeMemberRole(t.ownerViewer, t.memberMembership.id, "ADMIN");
    await changeMemberRole(t.ownerViewer, t.memberMembership.id, "ADMIN"); // no change: no entry
    await expect(changeMemberRole(t.memberViewer, t.adminMembership.id, "VIEWER")).rejects.toBeInstanceOf(ForbiddenError);
    await removeMember(t.adminViewer, t.memberMembership.id);
    await leaveWorkspace(t.adminViewer);

    const entries = await entriesOf({ workspaceId: t.workspace.id });
    expect(entries.map((e) => e.action)).toEqual(["member.role_changed", "member.removed", "member.left"]);
    expect(entries[0]).toMatchObject({
      actorId: t.owner.id,
      actorEmail: t.owner.email,
      targetType: "user",
      targetId: t.member.id,
      ipAddress: "203.0.113.9",
      details: { email: t.member.email, from: "MEMBER", to: "ADMIN" },
    });
    expect(entries[1]).toMatchObject({ actorId: t.admin.id, targetId: t.member.id, details: { email: t.member.email, role: "ADMIN" } });
    expect(entries[2]).toMatchObject({ actorId: t.admin.id, targetId: t.admin.id, details: { email: t.admin.email, role: "ADMIN" } });
  });

  it("records invite links created and revoked, never the token", async () => {
    const t = await team();
    const invitation = await createInvitation(t.adminViewer, { role: "MEMBER", expiresInDays: 7 });
    await revokeInvitation(t.adminViewer, invitation.id);
    await expect(revokeInvitation(t.adminViewer, invitation.id)).rejects.toThrow(/not found/);
    const entries = await entriesOf({ workspaceId: t.workspace.id });
    expect(entries.map((e) => [e.action, e.targetId])).toEqual([
      ["invitation.created", invitation.id],
      ["invitation.revoked", invitation.id],
    ]);
    expect(entries[0]!.details).toMatchObject({ role: "MEMBER", expiresAt: invitation.expiresAt.toISOString() });
    expect(JSON.stringify(entries, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value))).not.toContain(invitation.token);
  });

  it("records a board's deletion, the trash being emptied and a rename", async () => {
    const t = await team();
    const board = await createBoard(t.memberViewer, "Client picks");
    const generation = await db.generation.create({
      data: { workspaceId: t.workspace.id, createdById: t.member.id, tool: "IMAGE", provider: "QOLABA", idempotencyKey: randomUUID(), params: {} },
    });
    // Two items in the board, three in the trash.
    await db.media.createMany({
      data: [0, 1, 2, 3, 4].map((position) => ({
        workspaceId: t.workspace.id,
        generationId: generation.id,
        position,
        kind: "IMAGE" as const,
        status: "READY" as const,
        tool: "IMAGE" as const,
        boardId: position < 2 ? board.id : null,
        deletedAt: position < 2 ? null : new Date(),
      })),
    });
    await deleteBoard(t.memberViewer, board.id);
    expect(await emptyTrash(t.adminViewer)).toBe(3);
    expect(await emptyTrash(t.adminViewer)).toBe(0); // nothing left: nothing recorded

    await renameWorkspace(t.ownerViewer, "Renamed studio");
    await renameWorkspace(t.ownerViewer, "Renamed studio");

    const entries = await entriesOf({ workspaceId: t.workspace.id });
    expect(entries.map((e) => e.action)).toEqual(["board.created", "board.deleted", "trash.emptied", "workspace.renamed"]);
    expect(entries[1]).toMatchObject({ actorId: t.member.id, targetId: board.id, details: { name: "Client picks", items: 2 } });
    expect(entries[2]).toMatchObject({ actorId: t.admin.id, details: { items: 3, scope: "all" } });
    expect(entries[3]).toMatchObject({ details: { from: t.workspace.name, to: "Renamed studio" } });
  });

  it("refuses to update, delete or truncate entries, even with raw SQL", async () => {
    const entry = await insert({ action: "board.deleted", workspaceId: null, actorId: null, details: { name: "kept" } });
    // The app's role (tests connect as it) holds no UPDATE, DELETE or TRUNCATE on the table at all (on a server that
    // would not let the tests create that role, they run as the owner, and only the trigger is left to refuse)...
    const refused = inject("databaseAppRole") ? /permission denied for table "?AuditEvent"?/ : /append-only/;
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "action" = 'x' WHERE id = ${entry.id}`)).rejects.toThrow(refused);
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE id = ${entry.id}`)).rejects.toThrow(refused);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(refused);
    await expect(db.auditEvent.deleteMany({ where: { id: entry.id } })).rejects.toThrow(refused);
    // ...and the trigger refuses even the owner, who holds every privilege.
    const owner = new pg.Client({ connectionString: inject("databaseOwnerUrl") });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE "AuditEvent" SET "action" = 'x' WHERE id = ${entry.id}`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM "AuditEvent" WHERE id = ${entry.id}`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
    expect(await db.auditEvent.findUnique({ where: { id: entry.id } })).toMatchObject({ action: "board.deleted" });
  });
});

describe("audit log: reading", () => {
  it("shows the workspace's entries and its current members' sign-ins, nothing else, to admins only", async () => {
    const t = await team();
    const other = await team();
    const outsider = await makeUser("Otto Outsider");
    const ours = await insert({ workspaceId: t.workspace.id, actorId: t.owner.id, action: "board.deleted", details: { name: "Ours" } });
    await insert({ workspaceId: other.workspace.id, actorId: other.owner.id, action: "board.deleted", details: { name: "Theirs" } });
    const memberSignIn = await insert({ workspaceId: null, actorId: t.member.id, actorEmail: t.member.email, action: "auth.sign_in_failed", details: { reason: "wrong_password" } });
    await insert({ workspaceId: null, actorId: outsider.id, actorEmail: outsider.email, action: "auth.sign_in" });
    await insert({ workspaceId: null, actorId: other.owner.id, actorEmail: other.owner.email, action: "auth.sign_in" });
    await insert({ workspaceId: null, actorId: null, actorEmail: t.member.email, action: "auth.sign_in_failed" }); // typed, no account link

    const seen = await listAll(t.adminViewer);
    expect(seen.map((e) => e.id).sort()).toEqual([ours.id, memberSignIn.id].map(String).sort());
    const failed = seen.find((e) => e.action === "auth.sign_in_failed")!;
    expect(failed).toMatchObject({
      label: "Failed sign-in",
      summary: "Wrong password",
      account: true,
      actor: { id: t.member.id, name: "Mia Member", email: t.member.email, isYou: false },
    });
    expect(failed.at).toBe(memberSignIn.createdAt.toISOString());

    // The owner reads it too; a member or a viewer is refused.
    expect(await listAll(t.ownerViewer)).toHaveLength(2);
    await expect(listAuditEvents(t.memberViewer, EMPTY_AUDIT_FILTERS)).rejects.toBeInstanceOf(ForbiddenError);
    const viewer = await makeUser("Vera Viewer");
    await addMember(t.workspace.id, viewer.id, "VIEWER");
    await expect(listAuditEvents(await viewerFor(viewer.id, t.workspace.id), EMPTY_AUDIT_FILTERS)).rejects.toBeInstanceOf(ForbiddenError);

    // Someone who is no longer a member takes their sign-ins along; what they did in the workspace stays.
    await removeMember(t.ownerViewer, t.memberMembership.id);
    const after = await listAll(t.adminViewer);
    expect(after.map((e) => e.id)).not.toContain(String(memberSignIn.id));
    expect(after.map((e) => e.action)).toEqual(["member.removed", "board.deleted"]);
  });

  it("filters by action, group, member and UTC days (both ends inclusive)", async () => {
    const t = await team();
    const at = (iso: string) => new Date(iso);
    await insert({ workspaceId: t.workspace.id, actorId: t.owner.id, action: "member.role_changed", createdAt: at("2026-03-10T23:59:59.999Z") });
    await insert({ workspaceId: t.workspace.id, actorId: t.admin.id, action: "invitation.created", createdAt: at("2026-03-11T00:00:00.000Z") });
    await insert({ workspaceId: null, actorId: t.member.id, action: "auth.sign_in", createdAt: at("2026-03-11T12:00:00.000Z") });
    await insert({ workspaceId: null, actorId: t.member.id, action: "auth.sign_in_failed", createdAt: at("2026-03-12T23:59:59.999Z") });
    await insert({ workspaceId: t.workspace.id, actorId: t.member.id, action: "board.deleted", createdAt: at("2026-03-13T00:00:00.000Z") });

    const actions = async (filters: Partial<AuditFilters>) => (await listAll(t.adminViewer, filters)).map((e) => e.action);
    expect(await actions({ action: "auth.sign_in_failed" })).toEqual(["auth.sign_in_failed"]);
    expect(await actions({ action: "auth" })).toEqual(["auth.sign_in_failed", "auth.sign_in"]);
    expect(await actions({ action: "members" })).toEqual(["invitation.created", "member.role_changed"]);
    expect(await actions({ member: t.member.id })).toEqual(["board.deleted", "auth.sign_in_failed", "auth.sign_in"]);
    expect(await actions({ member: t.member.id, action: "deletions" })).toEqual(["board.deleted"]);
    expect(await actions({ from: "2026-03-11", to: "2026-03-12" })).toEqual(["auth.sign_in_failed", "auth.sign_in", "invitation.created"]);
    expect(await actions({ from: "2026-03-13" })).toEqual(["board.deleted"]);
    expect(await actions({ to: "2026-03-10" })).toEqual(["member.role_changed"]);
    const outsider = await makeUser("Otto Outsider");
    await insert({ workspaceId: null, actorId: outsider.id, action: "auth.sign_in", createdAt: at("2026-03-11T12:00:00.000Z") });
    expect(await actions({ member: outsider.id })).toEqual([]);
  });

  it("pages newest first through both halves, 50 at a time, without gaps or repeats (ties in the same millisecond too)", async () => {
    const t = await team();
    const base = Date.parse("2026-05-01T10:00:00.000Z");
    const rows: Prisma.AuditEventUncheckedCreateInput[] = [];
    for (let i = 0; i < 130; i++) {
      // Every third entry shares its millisecond with the one before; sign-ins and workspace entries interleave.
      const createdAt = new Date(base + Math.floor(i / 3) * 1000 + (i % 3 === 2 ? 0 : (i % 3) * 10));
      rows.push(
        i % 2
          ? { workspaceId: null, actorId: t.member.id, action: "auth.sign_in", createdAt }
          : { workspaceId: t.workspace.id, actorId: t.owner.id, action: "board.deleted", details: { name: `B${i}` }, createdAt },
      );
    }
    await db.auditEvent.createMany({ data: rows });

    const first = await listAuditEvents(t.adminViewer, EMPTY_AUDIT_FILTERS);
    expect(first.events).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    const all = await listAll(t.adminViewer);
    expect(all).toHaveLength(130);
    expect(new Set(all.map((e) => e.id)).size).toBe(130);
    const keys = all.map((e) => [Date.parse(e.at), BigInt(e.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [prevAt, prevId] = keys[i - 1]!;
      const [at, id] = keys[i]!;
      expect(at < prevAt || (at === prevAt && id < prevId)).toBe(true);
    }

    // A cursor that was not written by the server reads as "from the start".
    const tampered = await listAuditEvents(t.adminViewer, EMPTY_AUDIT_FILTERS, "bm90LWEtY3Vyc29y");
    expect(tampered.events[0]!.id).toBe(first.events[0]!.id);
  });
});

describe("audit log: filters and wording", () => {
  it("reads filters from a URL, dropping what it can't read and saying why", () => {
    const good = parseAuditParams(new URLSearchParams("action=auth&member=abc_123&from=2026-03-12&to=2026-03-01"));
    expect(good).toEqual({ filters: { action: "auth", member: "abc_123", from: "2026-03-01", to: "2026-03-12" }, problems: [] });
    const bad = parseAuditParams(new URLSearchParams("action=hack&member=a%20b&from=2026-02-30&to=2026-03-01"));
    expect(bad.filters).toEqual({ action: null, member: null, from: null, to: "2026-03-01" });
    expect(bad.problems).toHaveLength(3);
    expect(parseAuditQuery(new URLSearchParams("action=hack")).success).toBe(false);
    expect(parseAuditQuery(new URLSearchParams("action=member.role_changed&from=")).data).toEqual({ ...EMPTY_AUDIT_FILTERS, action: "member.role_changed" });
    expect(auditParamsOf({ ...EMPTY_AUDIT_FILTERS, action: "auth.sign_in", to: "2026-01-02" }).toString()).toBe("action=auth.sign_in&to=2026-01-02");
  });

  it("puts every action in exactly one group and words each recorded shape", () => {
    const grouped = Object.values(AUDIT_GROUPS).flatMap((g) => g.actions);
    expect([...grouped].sort()).toEqual([...AUDIT_ACTION_KEYS].sort());
    expect(describeAuditEvent("member.role_changed", { email: "mia@example.test", from: "MEMBER", to: "ADMIN" })).toBe("mia@example.test: Member → Admin");
    expect(describeAuditEvent("trash.emptied", { items: 1200, scope: "all" })).toBe("1,200 items deleted for good");
    expect(describeAuditEvent("connection.key_set", { provider: "RenderNet", key: "ending 4680", replaced: true })).toBe("RenderNet key ending 4680 replaced the previous key");
    expect(describeAuditEvent("connection.key_removed", { provider: "Qolaba", key: "ending 7890", now: "sandbox" })).toBe("Qolaba key ending 7890 removed; now sandbox");
    expect(describeAuditEvent("board.deleted", { name: "Picks", items: 1 })).toBe("“Picks”; its 1 item stays in the gallery");
    expect(describeAuditEvent("auth.sign_in", { method: "github" })).toBe("With GitHub");
    expect(describeAuditEvent("generation.rate_limited", { limit: "member", perWindow: 30, windowSeconds: 60, retryAfterSeconds: 42 })).toBe(
      "30 runs a minute by one member; told to wait 42 s",
    );
    expect(describeAuditEvent("generation.rate_limited", { limit: "workspaceBurst", perWindow: 1200, windowSeconds: 10 })).toBe(
      "1,200 runs in 10 seconds in the workspace",
    );
    expect(describeAuditEvent("some.future_action", { provider: "RENDERNET", last4: "4f2a" })).toBe("Provider: RENDERNET · Last 4: 4f2a");
    expect(describeAuditEvent("something.new", null)).toBe("");
    // The trail's and the refusals' shapes.
    expect(describeAuditEvent("media.moved", { items: 3, board: "Picks", ids: ["a", "b", "c"] })).toBe("3 items → “Picks”");
    expect(describeAuditEvent("media.moved", { items: 1, board: null })).toBe("1 item taken out of their board");
    expect(describeAuditEvent("media.trashed", { items: 2, ids: ["a", "b"] })).toBe("2 items");
    expect(describeAuditEvent("asset.uploaded", { name: "face.png", kind: "image", bytes: 2_621_440 })).toBe("“face.png” (image, 2.5 MB)");
    expect(describeAuditEvent("asset.uploaded", { name: "face (1).png", kind: "image", bytes: 2_621_440, sameAs: "face.png" })).toBe(
      "“face (1).png” (image, 2.5 MB), already in the assets as “face.png”",
    );
    expect(describeAuditEvent("generation.submitted", { tool: "IMAGE_TO_VIDEO", credits: 12, retryOf: "g1" })).toBe("Image to video, 12 credits estimated (a retry of a failed run)");
    expect(describeAuditEvent("generation.submitted", { tool: "CONTROLNET", credits: null })).toBe("ControlNet");
    expect(describeAuditEvent("generation.submitted", { tool: "IMAGE", credits: 2, variationOf: "g2" })).toBe("Image, 2 credits estimated (a variation of an earlier run)");
    expect(describeAuditEvent("generation.cancelled", { tool: "IMAGE", provider: "RenderNet", sent: false })).toBe("Image run before it was sent");
    expect(describeAuditEvent("generation.cancelled", { tool: "CONTROLNET", provider: "Qolaba", sent: true, author: "u1" })).toBe("ControlNet run at Qolaba (another member's)");
    expect(describeAuditEvent("connection.tested", { provider: "RenderNet", ok: false, message: "RenderNet refused the key." })).toBe("RenderNet: failed. RenderNet refused the key.");
    expect(describeAuditEvent("connection.mode_changed", { provider: "RenderNet", key: "ending 1234", now: "sandbox" })).toBe("RenderNet: key ending 1234 removed, now sandbox");
    expect(describeAuditEvent("access.not_member", { what: "createBoard", slug: "acme" })).toBe("Create board by someone who is not a member");
    expect(describeAuditEvent("access.foreign_id", { what: "trashMedia", target: "media", count: 2, ids: ["a", "b"], alsoRefused: 3 })).toBe(
      "Trash media from another workspace, on 2 gallery items of this one (and 3 more like it since the previous entry)",
    );
    expect(describeAuditEvent("access.forbidden", { what: "GET /api/w/:workspace/audit", role: "MEMBER", reason: "Not for members." })).toBe("GET /api/w/:workspace/audit: Not for members.");
    expect(describeAuditEvent("auth.rate_limited", { what: "signUp" })).toBe("Sign-up refused: too many attempts");
  });
});
