import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { addMember, makeTeam, makeUser } from "@/test/factories";

// The session is the only thing faked: membership, roles and data are real rows in PostgreSQL.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { createBoardAction } = await import("@/lib/actions/boards");
const { changeMemberRoleAction } = await import("@/lib/actions/members");
const { submitGenerationAction } = await import("@/lib/actions/generations");

describe("workspace actions authorize themselves", () => {
  beforeEach(() => {
    session.userId = null;
  });

  it("refuses a signed-out caller", async () => {
    const result = await createBoardAction({ workspace: "anything", name: "Mood" });
    expect(result).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("answers a workspace the caller does not belong to like a missing one", async () => {
    const owner = await makeUser();
    const team = await makeTeam(owner.id);
    const stranger = await makeUser();
    session.userId = stranger.id;
    const foreign = await createBoardAction({ workspace: team.slug, name: "Mood" });
    const missing = await createBoardAction({ workspace: "no-such-workspace", name: "Mood" });
    expect(foreign).toEqual(missing);
    expect(foreign).toMatchObject({ ok: false, code: "not_found" });
    expect(await db.board.count({ where: { workspaceId: team.id } })).toBe(0);
  });

  it("refuses a viewer a member-only action, on the server", async () => {
    const owner = await makeUser();
    const team = await makeTeam(owner.id, "Viewer Test");
    const viewer = await makeUser();
    await addMember(team.id, viewer.id, "VIEWER");
    session.userId = viewer.id;
    const result = await createBoardAction({ workspace: team.slug, name: "Mood" });
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect(result.ok ? "" : result.error).toMatch(/at least a member in Viewer Test/);
    expect(await db.board.count({ where: { workspaceId: team.id } })).toBe(0);
  });

  it("returns field errors from the shared schema and changes nothing", async () => {
    const owner = await makeUser();
    session.userId = owner.id;
    const result = await createBoardAction({ workspace: owner.personal.slug, name: "   " });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { name: ["Name the board."] } });
  });

  it("runs the body for an allowed role and reports conflicts as messages", async () => {
    const owner = await makeUser();
    session.userId = owner.id;
    expect(await createBoardAction({ workspace: owner.personal.slug, name: "Picks" })).toMatchObject({ ok: true, data: { name: "Picks" } });
    expect(await createBoardAction({ workspace: owner.personal.slug, name: "Picks" })).toMatchObject({
      ok: false,
      code: "conflict",
      error: 'A board called "Picks" already exists.',
    });
  });

  it("never trusts an id from another workspace", async () => {
    const owner = await makeUser();
    const team = await makeTeam(owner.id);
    const otherOwner = await makeUser();
    const otherTeam = await makeTeam(otherOwner.id);
    const victim = await makeUser();
    const victimMembership = await addMember(otherTeam.id, victim.id, "MEMBER");
    session.userId = owner.id;
    const result = await changeMemberRoleAction({ workspace: team.slug, membershipId: victimMembership.id, role: "VIEWER" });
    expect(result).toMatchObject({ ok: false, code: "not_found" });
    expect((await db.membership.findUniqueOrThrow({ where: { id: victimMembership.id } })).role).toBe("MEMBER");
  });
});

describe("action input PostgreSQL can't store is refused before the schema and the database", () => {
  beforeEach(() => {
    session.userId = null;
  });

  it("refuses NUL (and other control characters) anywhere in the input, saying which field, and writes nothing", async () => {
    const owner = await makeUser();
    session.userId = owner.id;
    const result = await createBoardAction({ workspace: owner.personal.slug, name: "Mood\u0000board" });
    expect(result).toEqual({
      ok: false,
      code: "invalid_input",
      error: "“name” contains characters that can't be stored (control characters such as NUL). Remove them and try again.",
      fieldErrors: { name: ["This contains characters that can't be stored (control characters such as NUL)."] },
    });
    // Nested inside an array, in an object key, as a bell character: all refused the same way.
    expect(await createBoardAction({ workspace: owner.personal.slug, name: "Mood", mediaIds: ["ok", "bad\u0000id"] })).toMatchObject({ code: "invalid_input", fieldErrors: { mediaIds: [expect.any(String)] } });
    expect(await createBoardAction({ workspace: owner.personal.slug, name: "Mood", ["x\u0000"]: 1 })).toMatchObject({ code: "invalid_input" });
    expect(await createBoardAction({ workspace: owner.personal.slug, name: "Mood\u0007" })).toMatchObject({ code: "invalid_input" });
    // The slug itself: refused here, before any membership lookup could send it to PostgreSQL (which would fail).
    expect(await createBoardAction({ workspace: "acme\u0000", name: "Mood" })).toMatchObject({ code: "invalid_input", fieldErrors: { workspace: [expect.any(String)] } });
    expect(await db.board.count({ where: { workspaceId: owner.personal.id } })).toBe(0);
  });

  it("reports a nested field under its full path, so a tool form can show it under the input", async () => {
    const owner = await makeUser();
    session.userId = owner.id;
    const submit = (prompt: string) =>
      submitGenerationAction({ workspace: owner.personal.slug, idempotencyKey: crypto.randomUUID(), boardId: null, run: { tool: "IMAGE", params: { prompt } } });
    const blank = await submit("   ");
    expect(blank).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { "run.params.prompt": ["Describe the image."] } });
    expect(blank.ok === false && blank.fieldErrors).not.toHaveProperty("run");
    const bell = await submit("A boat\u0007");
    expect(bell).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { run: [expect.stringContaining("can't be stored")], "run.params.prompt": [expect.stringContaining("can't be stored")] },
    });
    expect(await db.generation.count({ where: { workspaceId: owner.personal.id } })).toBe(0);
  });

  it("keeps tabs and line breaks, which multi-line text uses", async () => {
    const owner = await makeUser();
    session.userId = owner.id;
    expect(await createBoardAction({ workspace: owner.personal.slug, name: "Mood\tboard" })).toMatchObject({ ok: true });
  });

  it("refuses input nested deeper than the walk goes, without overflowing the stack", async () => {
    const owner = await makeUser();
    session.userId = owner.id;
    let deep: unknown = "leaf";
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(await createBoardAction({ workspace: owner.personal.slug, name: "Mood", mediaIds: deep })).toEqual({ ok: false, code: "invalid_input", error: "The input is nested too deeply." });
  });

  it("answers a string that can't be a slug as a missing workspace, without looking it up", async () => {
    const owner = await makeUser();
    session.userId = owner.id;
    const lookups = vi.spyOn(db.membership, "findFirst");
    try {
      for (const workspace of ["%00", "Acme", "acme--studio", "../acme", "acme studio", "-acme"]) {
        expect(await createBoardAction({ workspace, name: "Mood" })).toEqual({ ok: false, code: "not_found", error: "That workspace was not found." });
      }
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }
  });
});
