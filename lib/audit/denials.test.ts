import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { DENIAL_WINDOW_MS, recordDenial, settleDenials } from "@/lib/data/denials";
import { describeAuditEvent } from "@/lib/data/audit-describe";
import { consume } from "@/lib/limits/rate-limiter";
import { addMember, makeMedia, makeTeam, makeUser } from "@/test/factories";

/**
 * Refusals in the audit log: each kind is provoked through the real action wrapper or route handler, with only the
 * session faked, and must leave one row in the workspace that was reached for, while the answer stays exactly what
 * it was (a missing workspace or id answers the same and records nothing).
 */

const session = vi.hoisted(() => ({ userId: null as string | null }));
const net = vi.hoisted(() => ({ ip: "203.0.113.7" }));
vi.mock("next/headers", async () => {
  const { clientHeaderForTests } = await import("@/lib/http/testing");
  return { headers: async () => new Headers({ "x-atelier-client": clientHeaderForTests(net.ip) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("@/lib/auth/auth", async () => {
  return {
    enabledOAuthProviders: () => [],
    auth: async () => (session.userId ? { userId: session.userId } : null),
    signIn: async () => undefined,
    signOut: async () => undefined,
  };
});

const { signUpAction } = await import("@/lib/actions/auth");
const { createBoardAction } = await import("@/lib/actions/boards");
const { trashMediaAction } = await import("@/lib/actions/gallery");
const { changeMemberRoleAction } = await import("@/lib/actions/members");
const { GET: auditRoute } = await import("@/app/api/w/[workspace]/audit/route");
const { GET: galleryRoute } = await import("@/app/api/w/[workspace]/gallery/route");
const { GET: detailRoute } = await import("@/app/api/w/[workspace]/media/[mediaId]/detail/route");

beforeEach(() => {
  session.userId = null;
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A team with an owner, an admin, a member and a viewer, and a second workspace that belongs to someone else. */
async function setting() {
  const owner = await makeUser("Olive Owner");
  const admin = await makeUser("Adam Admin");
  const member = await makeUser("Mia Member");
  const viewer = await makeUser("Vic Viewer");
  const team = await makeTeam(owner.id);
  await addMember(team.id, admin.id, "ADMIN");
  await addMember(team.id, member.id, "MEMBER");
  await addMember(team.id, viewer.id, "VIEWER");
  const stranger = await makeUser("Sid Stranger");
  return { owner, admin, member, viewer, team, stranger };
}

/** Entries written since the test began, in a workspace or by an actor (after background writes settle). */
async function entries(where: { workspaceId?: string; actorId?: string }) {
  await settleDenials();
  return db.auditEvent.findMany({ where, orderBy: { id: "asc" } });
}

const get = (handler: (request: Request, context: { params: Promise<never> }) => Promise<Response>, url: string, params: Record<string, string>) =>
  handler(new Request(`http://127.0.0.1${url}`), { params: Promise.resolve(params) as Promise<never> });

async function answer(response: Response) {
  return { status: response.status, body: await response.text() };
}

describe("refusals are recorded where they were aimed", () => {
  it("a viewer calling a member's action: one row in that workspace, with the action and the roles", async () => {
    const t = await setting();
    session.userId = t.viewer.id;
    expect(await createBoardAction({ workspace: t.team.slug, name: "Mood" })).toMatchObject({ ok: false, code: "forbidden" });
    const rows = await entries({ workspaceId: t.team.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "access.forbidden",
      actorId: t.viewer.id,
      actorEmail: t.viewer.email,
      ipAddress: net.ip,
      details: { what: "createBoard", role: "VIEWER", needs: "MEMBER" },
    });
    expect(Math.abs(rows[0]!.createdAt.getTime() - Date.now())).toBeLessThan(30_000);
    expect(describeAuditEvent(rows[0]!.action, rows[0]!.details)).toBe("Create board: needs Member, they are Viewer");
    expect(await db.board.count({ where: { workspaceId: t.team.id } })).toBe(0);
  });

  it("a finer refusal inside the data layer (an admin demoting the owner) is recorded with its reason", async () => {
    const t = await setting();
    const ownerMembership = await db.membership.findFirstOrThrow({ where: { workspaceId: t.team.id, userId: t.owner.id } });
    session.userId = t.admin.id;
    expect(await changeMemberRoleAction({ workspace: t.team.slug, membershipId: ownerMembership.id, role: "MEMBER" })).toMatchObject({ code: "forbidden" });
    const rows = await entries({ workspaceId: t.team.id });
    expect(rows.map((r) => r.action)).toEqual(["access.forbidden"]);
    expect(rows[0]!.details).toMatchObject({ what: "changeMemberRole", role: "ADMIN", reason: expect.stringMatching(/Only an owner/) });
  });

  it("a member calling an admin's route handler: 403, and one row naming the route", async () => {
    const t = await setting();
    session.userId = t.member.id;
    const response = await get(auditRoute, `/api/w/${t.team.slug}/audit`, { workspace: t.team.slug });
    expect(response.status).toBe(403);
    const rows = await entries({ workspaceId: t.team.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "access.forbidden", actorId: t.member.id, details: { what: "GET /api/w/:workspace/audit", role: "MEMBER" } });
  });

  it("a signed-in stranger reaching for a workspace: the same answer as a missing slug, a row in the target only", async () => {
    const t = await setting();
    session.userId = t.stranger.id;
    const foreign = await createBoardAction({ workspace: t.team.slug, name: "Mood" });
    const missing = await createBoardAction({ workspace: `no-such-${randomUUID().slice(0, 8)}`, name: "Mood" });
    expect(foreign).toEqual(missing);
    expect(foreign).toMatchObject({ ok: false, code: "not_found" });
    const rows = await entries({ actorId: t.stranger.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "access.not_member", workspaceId: t.team.id, details: { what: "createBoard", slug: t.team.slug } });

    // Through a route handler too (another stranger: one row per person, workspace and kind a minute).
    const other = await makeUser("Otto Other");
    session.userId = other.id;
    const theirs = await answer(await get(galleryRoute, `/api/w/${t.team.slug}/gallery`, { workspace: t.team.slug }));
    const nobody = await answer(await get(galleryRoute, `/api/w/no-such-slug/gallery`, { workspace: "no-such-slug" }));
    expect(theirs).toEqual(nobody);
    expect(theirs.status).toBe(404);
    expect((await entries({ actorId: other.id })).map((r) => [r.action, r.workspaceId, (r.details as { what: string }).what])).toEqual([
      ["access.not_member", t.team.id, "GET /api/w/:workspace/gallery"],
    ]);
  });

  it("a member naming another workspace's item in a gallery action: answered like a missing id, recorded in the owner's log", async () => {
    const t = await setting();
    const mallory = await makeUser("Mallory");
    const [theirItem] = await makeMedia(t.team.id, t.owner.id, 1);
    session.userId = mallory.id;
    const slug = mallory.personal.slug;
    const foreign = await trashMediaAction({ workspace: slug, mediaIds: [theirItem!] });
    const missing = await trashMediaAction({ workspace: slug, mediaIds: [`missing${randomUUID().slice(0, 8)}`] });
    expect(foreign).toEqual(missing);
    expect(foreign).toMatchObject({ ok: false, code: "not_found", error: "That item was not found." });
    expect(await db.media.findUniqueOrThrow({ where: { id: theirItem! } })).toMatchObject({ deletedAt: null });

    const rows = await entries({ actorId: mallory.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "access.foreign_id",
      workspaceId: t.team.id,
      actorEmail: mallory.email,
      targetType: "media",
      targetId: theirItem,
      details: { what: "trashMedia", target: "media", count: 1, ids: [theirItem] },
    });
    // Mallory's own workspace has nothing to see.
    expect(await entries({ workspaceId: mallory.personal.id })).toEqual([]);
  });

  it("a mix of own and foreign ids: the own ones change, the foreign ones are recorded", async () => {
    const t = await setting();
    const mallory = await makeUser("Mallory Mix");
    const [theirs] = await makeMedia(t.team.id, t.owner.id, 1);
    const [mine] = await makeMedia(mallory.personal.id, mallory.id, 1);
    session.userId = mallory.id;
    expect(await trashMediaAction({ workspace: mallory.personal.slug, mediaIds: [mine!, theirs!] })).toEqual({ ok: true, data: { count: 1 } });
    const rows = await entries({ actorId: mallory.id });
    expect(rows.map((r) => [r.action, r.workspaceId, r.targetId])).toEqual(
      expect.arrayContaining([
        ["media.trashed", mallory.personal.id, mine],
        ["access.foreign_id", t.team.id, theirs],
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it("a member asking the detail route for another workspace's id: the 404 of a missing id, a row in the owner's log", async () => {
    const t = await setting();
    const mallory = await makeUser("Mallory Detail");
    const [theirItem] = await makeMedia(t.team.id, t.owner.id, 1);
    session.userId = mallory.id;
    const slug = mallory.personal.slug;
    const foreign = await answer(await get(detailRoute, `/api/w/${slug}/media/${theirItem}/detail`, { workspace: slug, mediaId: theirItem! }));
    const missingId = `missing${randomUUID().slice(0, 8)}`;
    const missing = await answer(await get(detailRoute, `/api/w/${slug}/media/${missingId}/detail`, { workspace: slug, mediaId: missingId }));
    expect(foreign).toEqual(missing);
    expect(foreign.status).toBe(404);
    const rows = await entries({ actorId: mallory.id });
    expect(rows.map((r) => [r.action, r.workspaceId, r.targetId, (r.details as { what: string }).what])).toEqual([
      ["access.foreign_id", t.team.id, theirItem, "media detail"],
    ]);
  });

  it("a missing id or slug records nothing", async () => {
    const loner = await makeUser("Lo Loner");
    session.userId = loner.id;
    await trashMediaAction({ workspace: loner.personal.slug, mediaIds: [`nothing${randomUUID().slice(0, 8)}`] });
    await createBoardAction({ workspace: `gone-${randomUUID().slice(0, 8)}`, name: "Mood" });
    await get(detailRoute, `/api/w/${loner.personal.slug}/media/none/detail`, { workspace: loner.personal.slug, mediaId: "none" });
    expect(await entries({ actorId: loner.id })).toEqual([]);
  });
});

describe("the throttle", () => {
  it("writes one row per actor, workspace and kind a minute, and counts the folded ones on the next row", async () => {
    const t = await setting();
    session.userId = t.viewer.id;
    for (let i = 0; i < 5; i++) await createBoardAction({ workspace: t.team.slug, name: `Mood ${i}` });
    expect(await entries({ workspaceId: t.team.id })).toHaveLength(1);

    // Another kind, or another person, is another key.
    session.userId = t.member.id;
    await get(auditRoute, `/api/w/${t.team.slug}/audit`, { workspace: t.team.slug });
    expect(await entries({ workspaceId: t.team.id })).toHaveLength(2);

    // After the window, the next refusal is written and says how many were folded before it.
    const later = Date.now() + DENIAL_WINDOW_MS + 1_000;
    vi.spyOn(Date, "now").mockReturnValue(later);
    session.userId = t.viewer.id;
    await createBoardAction({ workspace: t.team.slug, name: "Mood again" });
    vi.restoreAllMocks();
    const rows = await entries({ workspaceId: t.team.id, actorId: t.viewer.id });
    expect(rows).toHaveLength(2);
    expect(rows[1]!.details).toMatchObject({ what: "createBoard", alsoRefused: 4 });
    expect(describeAuditEvent(rows[1]!.action, rows[1]!.details)).toMatch(/and 4 more like it since the previous entry/);
  });

  it("never fails the request when the row can't be written", async () => {
    const t = await setting();
    vi.spyOn(db.auditEvent, "create").mockRejectedValue(new Error("database is down"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    session.userId = t.viewer.id;
    expect(await createBoardAction({ workspace: t.team.slug, name: "Mood" })).toMatchObject({ ok: false, code: "forbidden" });
    await expect(recordDenial({ kind: "forbidden", workspaceId: t.team.id, actorId: t.member.id, what: "anything" })).resolves.toBeUndefined();
    vi.restoreAllMocks();
    expect(await entries({ workspaceId: t.team.id })).toEqual([]);
  });
});

describe("limiters", () => {
  it("the sign-up limiter tripping is an account event with the email as typed", async () => {
    net.ip = `203.0.113.${100 + Math.floor(Math.random() * 100)}`;
    const key = net.ip;
    // Use up this address's sign-ups for the hour (the limiter keys on the rule's name and the address).
    await consume({ name: "sign-up:address", points: 10_000, durationSeconds: 3600 }, key, 10_000);
    const email = `Someone-${randomUUID()}@Example.test`;
    expect(await signUpAction({ name: "Sam", email, password: "correct horse battery" })).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await db.user.count({ where: { email: email.toLowerCase() } })).toBe(0);
    await settleDenials();
    const rows = await db.auditEvent.findMany({ where: { actorEmail: email.toLowerCase() } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "auth.rate_limited", workspaceId: null, actorId: null, ipAddress: key, details: { what: "signUp", limit: "sign-up:address" } });
    net.ip = "203.0.113.7";
  });

  it("a limiter inside a workspace (the submit limiter's call) records access.rate_limited there", async () => {
    const t = await setting();
    await recordDenial({ kind: "rate_limited", workspaceId: t.team.id, actorId: t.member.id, what: "submitGeneration", details: { limit: "submits per minute" } });
    const rows = await entries({ workspaceId: t.team.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "access.rate_limited", actorId: t.member.id, actorEmail: t.member.email });
    expect(describeAuditEvent(rows[0]!.action, rows[0]!.details)).toBe("Submit generation refused by a rate limit");
  });
});
