import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { changeMemberRole, leaveWorkspace, listMembers, removeMember } from "@/lib/data/members";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

async function team() {
  const owner = await makeUser("Olive Owner");
  const admin = await makeUser("Adam Admin");
  const member = await makeUser("Mia Member");
  const workspace = await makeTeam(owner.id);
  const adminMembership = await addMember(workspace.id, admin.id, "ADMIN");
  const memberMembership = await addMember(workspace.id, member.id, "MEMBER");
  const ownerMembership = await db.membership.findFirstOrThrow({ where: { workspaceId: workspace.id, userId: owner.id } });
  return { owner, admin, member, workspace, ownerMembership, adminMembership, memberMembership };
}

describe("members", () => {
  it("lists members of the viewer's workspace only, owners first", async () => {
    const t = await team();
    const other = await team();
    const members = await listMembers(await viewerFor(t.member.id, t.workspace.id));
    expect(members.map((m) => m.name)).toEqual(["Olive Owner", "Adam Admin", "Mia Member"]);
    expect(members.find((m) => m.isYou)?.name).toBe("Mia Member");
    expect(members.map((m) => m.email)).not.toContain(other.owner.email);
  });

  it("lets an admin change a member's role but not touch an owner", async () => {
    const t = await team();
    const admin = await viewerFor(t.admin.id, t.workspace.id);
    await changeMemberRole(admin, t.memberMembership.id, "VIEWER");
    expect((await db.membership.findUniqueOrThrow({ where: { id: t.memberMembership.id } })).role).toBe("VIEWER");
    await expect(changeMemberRole(admin, t.ownerMembership.id, "MEMBER")).rejects.toThrow(/Only an owner/);
    await expect(changeMemberRole(admin, t.memberMembership.id, "OWNER")).rejects.toThrow(/Only an owner/);
  });

  it("never demotes or removes the last owner", async () => {
    const t = await team();
    const owner = await viewerFor(t.owner.id, t.workspace.id);
    await expect(changeMemberRole(owner, t.ownerMembership.id, "ADMIN")).rejects.toThrow(/last owner/);
    await expect(removeMember(owner, t.ownerMembership.id)).rejects.toThrow(/last owner/);
    await expect(leaveWorkspace(owner)).rejects.toThrow(/last owner/);
    // With a second owner, the first may step down.
    await changeMemberRole(owner, t.adminMembership.id, "OWNER");
    await changeMemberRole(owner, t.ownerMembership.id, "ADMIN");
    expect(await db.membership.count({ where: { workspaceId: t.workspace.id, role: "OWNER" } })).toBe(1);
  });

  it("keeps one owner when two owners demote each other at the same moment", async () => {
    const t = await team();
    const owner = await viewerFor(t.owner.id, t.workspace.id);
    await changeMemberRole(owner, t.adminMembership.id, "OWNER");
    const second = await viewerFor(t.admin.id, t.workspace.id);
    const results = await Promise.allSettled([
      changeMemberRole(owner, t.adminMembership.id, "MEMBER"),
      changeMemberRole(second, t.ownerMembership.id, "MEMBER"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { workspaceId: t.workspace.id, role: "OWNER" } })).toBe(1);
  });

  it("treats another workspace's membership id as missing", async () => {
    const t = await team();
    const other = await team();
    const owner = await viewerFor(t.owner.id, t.workspace.id);
    await expect(changeMemberRole(owner, other.memberMembership.id, "VIEWER")).rejects.toThrow(/was not found/);
    await expect(removeMember(owner, other.memberMembership.id)).rejects.toThrow(/was not found/);
    expect((await db.membership.findUniqueOrThrow({ where: { id: other.memberMembership.id } })).role).toBe("MEMBER");
  });

  it("refuses a member who tries to manage others, and lets anyone leave", async () => {
    const t = await team();
    const member = await viewerFor(t.member.id, t.workspace.id);
    await expect(removeMember(member, t.adminMembership.id)).rejects.toThrow(/doesn't allow/);
    await leaveWorkspace(member);
    expect(await db.membership.findUnique({ where: { id: t.memberMembership.id } })).toBeNull();
  });

  it("does not let a user leave their personal workspace", async () => {
    const user = await makeUser();
    await expect(leaveWorkspace(await viewerFor(user.id, user.personal.id))).rejects.toThrow(/personal workspace/);
  });
});
