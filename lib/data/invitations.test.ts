import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashToken } from "@/lib/crypto/tokens";
import { acceptInvitation, createInvitation, getInvitationPreview, listPendingInvitations, revokeInvitation } from "@/lib/data/invitations";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

async function setup() {
  const owner = await makeUser("Olive");
  const workspace = await makeTeam(owner.id, "Acme Studio");
  return { owner, workspace, viewer: await viewerFor(owner.id, workspace.id) };
}

describe("invitations", () => {
  it("stores only a hash of a 256-bit token and lets one person join with the invited role", async () => {
    const { viewer, workspace } = await setup();
    const invite = await createInvitation(viewer, { role: "VIEWER", expiresInDays: 7 });
    expect(Buffer.from(invite.token, "base64url")).toHaveLength(32);
    const row = await db.invitation.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.tokenHash).toBe(hashToken(invite.token));
    expect(JSON.stringify(row)).not.toContain(invite.token);

    const guest = await makeUser("Gus");
    expect(await acceptInvitation(guest.id, invite.token)).toEqual({ slug: workspace.slug, alreadyMember: false });
    expect((await db.membership.findFirstOrThrow({ where: { workspaceId: workspace.id, userId: guest.id } })).role).toBe("VIEWER");

    const late = await makeUser("Late");
    await expect(acceptInvitation(late.id, invite.token)).rejects.toThrow(/already been used/);
    expect((await getInvitationPreview(invite.token))?.status).toBe("used");
  });

  it("lets only one of two simultaneous claimants in", async () => {
    const { viewer, workspace } = await setup();
    const invite = await createInvitation(viewer, { role: "MEMBER", expiresInDays: 1 });
    const [a, b] = [await makeUser("A"), await makeUser("B")];
    const results = await Promise.allSettled([acceptInvitation(a.id, invite.token), acceptInvitation(b.id, invite.token)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { workspaceId: workspace.id, role: "MEMBER" } })).toBe(1);
  });

  it("refuses expired and revoked links", async () => {
    const { viewer } = await setup();
    const expired = await createInvitation(viewer, { role: "MEMBER", expiresInDays: 1 });
    await db.invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const revoked = await createInvitation(viewer, { role: "MEMBER", expiresInDays: 1 });
    await revokeInvitation(viewer, revoked.id);
    const guest = await makeUser();
    await expect(acceptInvitation(guest.id, expired.token)).rejects.toThrow(/expired/);
    await expect(acceptInvitation(guest.id, revoked.token)).rejects.toThrow(/revoked/);
    expect(await listPendingInvitations(viewer)).toEqual([]);
  });

  it("leaves an existing member's role alone and the link unused", async () => {
    const { viewer, workspace } = await setup();
    const admin = await makeUser();
    await addMember(workspace.id, admin.id, "ADMIN");
    const invite = await createInvitation(viewer, { role: "VIEWER", expiresInDays: 1 });
    expect((await acceptInvitation(admin.id, invite.token)).alreadyMember).toBe(true);
    expect((await db.membership.findFirstOrThrow({ where: { workspaceId: workspace.id, userId: admin.id } })).role).toBe("ADMIN");
    expect((await getInvitationPreview(invite.token))?.status).toBe("valid");
  });

  it("is managed by owners and admins only, within their own workspace", async () => {
    const { viewer, workspace } = await setup();
    const member = await makeUser();
    await addMember(workspace.id, member.id, "MEMBER");
    await expect(createInvitation(await viewerFor(member.id, workspace.id), { role: "MEMBER", expiresInDays: 1 })).rejects.toThrow(/doesn't allow/);
    const other = await setup();
    const foreign = await createInvitation(other.viewer, { role: "MEMBER", expiresInDays: 1 });
    await expect(revokeInvitation(viewer, foreign.id)).rejects.toThrow(/was not found/);
    expect((await getInvitationPreview(foreign.token))?.status).toBe("valid");
  });
});
