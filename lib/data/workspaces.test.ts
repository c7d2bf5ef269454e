import { describe, expect, it } from "vitest";
import { createTeamWorkspace, getHomePath, getHomeWorkspaceSlug, listWorkspacesForUser, personalWorkspaceName, slugify } from "@/lib/data/workspaces";
import { db } from "@/lib/db";
import { makeUser } from "@/test/factories";

describe("workspaces", () => {
  it("makes readable, safe slugs", () => {
    expect(slugify("Acme Creative Ltd.")).toBe("acme-creative-ltd");
    expect(slugify("Café Noir")).toBe("cafe-noir");
    expect(slugify("新しい")).toBe("studio");
    expect(slugify("new")).toBe("studio-new");
    expect(personalWorkspaceName({ name: "Ada Lovelace", email: "ada@x.io" })).toBe("Ada's studio");
    expect(personalWorkspaceName({ name: null, email: "grace@x.io" })).toBe("grace's studio");
  });

  it("gives every workspace a unique slug, even created at the same moment", async () => {
    const user = await makeUser();
    const name = `Same Name ${Date.now()}`;
    const made = await Promise.all([createTeamWorkspace(user.id, name), createTeamWorkspace(user.id, name), createTeamWorkspace(user.id, name)]);
    expect(new Set(made.map((w) => w.slug)).size).toBe(3);
  });

  it("lists a user's workspaces with the personal one first and lands there", async () => {
    const user = await makeUser("Zed");
    await createTeamWorkspace(user.id, "Alpha Team");
    const list = await listWorkspacesForUser(user.id);
    expect(list[0]).toMatchObject({ personal: true, role: "OWNER", memberCount: 1 });
    expect(list[1]).toMatchObject({ name: "Alpha Team", personal: false });
    expect(await getHomeWorkspaceSlug(user.id)).toBe(user.personal.slug);
    expect(await getHomePath(user.id)).toBe(`/w/${user.personal.slug}/generate`);
  });

  it("starts a viewer on the gallery, and someone with no workspace on the page that makes one", async () => {
    const owner = await makeUser("Olive");
    const viewer = await makeUser("Vic");
    const team = await createTeamWorkspace(owner.id, "Viewers' Team");
    await db.membership.deleteMany({ where: { userId: viewer.id } });
    expect(await getHomePath(viewer.id)).toBe("/workspaces/new");
    await db.membership.create({ data: { userId: viewer.id, workspaceId: team.id, role: "VIEWER" } });
    expect(await getHomePath(viewer.id)).toBe(`/w/${team.slug}/gallery`);
  });
});
