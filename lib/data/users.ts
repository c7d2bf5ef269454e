import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/log";
import { hashPassword } from "@/lib/auth/passwords";
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
