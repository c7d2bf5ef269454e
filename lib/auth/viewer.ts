import "server-only";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { auth } from "@/lib/auth/auth";
import { reportNotMember } from "@/lib/data/denials";
import { findActiveUser, findMembershipBySlug } from "@/lib/data/users";
import type { Viewer } from "@/lib/authz";
import { isWorkspaceSlug } from "@/lib/validation/primitives";

/** The signed-in user, or null. Resolved once per request; a revoked session or disabled user reads as signed out. */
export const getCurrentUser = cache(async () => {
  const session = await auth();
  if (!session?.userId) return null;
  return findActiveUser(session.userId);
});

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>;

export async function requireUser(next?: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  return user;
}


export type { Viewer };

/**
 * Resolves the caller's membership of the workspace with this slug; null when not a member (or no such slug). A
 * string that cannot be a slug (NUL, `%`, upper case, 200 characters) is null at once, without a query.
 */
export const getViewer = cache(async (slug: string): Promise<Viewer | null> => {
  if (!isWorkspaceSlug(slug)) return null;
  const user = await getCurrentUser();
  if (!user) return null;
  const membership = await findMembershipBySlug(user.id, slug);
  if (!membership) return null;
  return {
    userId: user.id,
    workspaceId: membership.workspace.id,
    workspaceSlug: membership.workspace.slug,
    workspaceName: membership.workspace.name,
    personal: membership.workspace.personal,
    role: membership.role,
  };
});

/**
 * For pages: the viewer, or the 404 page. A workspace the caller does not belong to looks exactly like none; the
 * attempt is recorded in that workspace's audit log in the background (a missing slug records nothing).
 */
export async function requireViewer(slug: string): Promise<Viewer> {
  const user = await requireUser(`/w/${slug}`);
  const viewer = await getViewer(slug);
  if (!viewer) {
    reportNotMember(user.id, slug, "a studio page");
    notFound();
  }
  return viewer;
}
