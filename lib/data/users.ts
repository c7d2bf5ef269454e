import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/crypto/passwords";
import { recordAudit } from "@/lib/data/audit";
import { UserError } from "@/lib/result";
import { createPersonalWorkspace } from "@/lib/data/workspaces";

/** Creates an account with a password and its personal workspace, atomically, with its `auth.signed_up` entry. */
export async function createUserWithPassword(input: { name: string; email: string; password: string }) {
  const taken = () =>
    new UserError("An account with this email already exists. Sign in instead.", "conflict", {
      email: ["An account with this email already exists."],
    });
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw taken();
  const passwordHash = await hashPassword(input.password);
  const create = () =>
    db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { name: input.name, email: input.email, passwordHash },
        select: { id: true, email: true, name: true },
      });
      const workspace = await createPersonalWorkspace(user, tx);
      await recordAudit(
        { action: "auth.signed_up", workspaceId: null, actorId: user.id, actorEmail: user.email, targetType: "user", targetId: user.id, details: { method: "password" } },
        tx,
      );
      return { user, workspace };
    });
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    // Either the email was registered a moment ago, or another sign-up took the same workspace slug.
    if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw taken();
    return create();
  }
}

/** What sign-in checks for an email: the account with its password hash and whether it is disabled, or null. */
export async function findUserForSignIn(email: string) {
  return db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
  });
}

/** An account's email and whether it is disabled (Auth.js's signIn callback), or null when there is none. */
export async function getUserSignInState(userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { email: true, disabledAt: true } });
}

/** The signed-in user's public fields, or null when the account is gone or disabled. */
export async function findActiveUser(userId: string) {
  return db.user.findFirst({
    where: { id: userId, disabledAt: null },
    select: { id: true, email: true, name: true, image: true },
  });
}

/** A user's membership of the workspace with this slug (its role and the workspace), or null. */
export async function findMembershipBySlug(userId: string, slug: string) {
  return db.membership.findFirst({
    where: { userId, workspace: { slug } },
    select: { role: true, workspace: { select: { id: true, slug: true, name: true, personal: true } } },
  });
}
