import { describe, expect, it } from "vitest";
import { assignableRoles, can, canManageMember, workspaceHomePath } from "@/lib/authz";

describe("authorization table", () => {
  it("lets each role do exactly what it should", () => {
    expect(can("VIEWER", "workspace:read")).toBe(true);
    expect(can("VIEWER", "board:create")).toBe(false);
    expect(can("VIEWER", "generation:create")).toBe(false);
    expect(can("MEMBER", "board:create")).toBe(true);
    expect(can("MEMBER", "members:manage")).toBe(false);
    expect(can("ADMIN", "members:manage")).toBe(true);
    expect(can("ADMIN", "invitations:manage")).toBe(true);
    expect(can("ADMIN", "workspace:delete")).toBe(false);
    expect(can("OWNER", "workspace:delete")).toBe(true);
    expect(can("VIEWER", "asset:delete")).toBe(false);
    expect(can("MEMBER", "asset:delete")).toBe(true);
    expect(can("VIEWER", "character:manage")).toBe(false);
    expect(can("MEMBER", "character:manage")).toBe(true);
    expect(can("VIEWER", "preset:create")).toBe(false);
    expect(can("MEMBER", "preset:create")).toBe(true);
    expect(can("MEMBER", "preset:manage_shared")).toBe(false);
    expect(can("ADMIN", "preset:manage_shared")).toBe(true);
  });

  it("keeps the owner role in owners' hands", () => {
    expect(assignableRoles("ADMIN")).not.toContain("OWNER");
    expect(assignableRoles("OWNER")).toContain("OWNER");
    expect(assignableRoles("MEMBER")).toEqual([]);
    expect(canManageMember("ADMIN", "OWNER")).toBe(false);
    expect(canManageMember("ADMIN", "MEMBER")).toBe(true);
    expect(canManageMember("OWNER", "OWNER")).toBe(true);
    expect(canManageMember("MEMBER", "VIEWER")).toBe(false);
  });

  it("starts a viewer on the gallery and everyone who may generate on the tools", () => {
    expect(workspaceHomePath("team", "VIEWER")).toBe("/w/team/gallery");
    expect(workspaceHomePath("team", "MEMBER")).toBe("/w/team/generate");
    expect(workspaceHomePath("team", "OWNER")).toBe("/w/team/generate");
  });
});
