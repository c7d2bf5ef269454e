import "server-only";
import type { NextAuthConfig } from "next-auth";
import { recordOAuthSignUp, recordSignIn, recordSignOut } from "@/lib/audit/sign-in";
import { revokeSession } from "@/lib/auth/sessions";
import { createPersonalWorkspace } from "@/lib/data/workspaces";

/** What Auth.js reports after the fact: sign-ins, sign-outs and new accounts, each in the audit log. */
export const authEvents = {
  async signIn({ user, account }) {
    if (user.id) await recordSignIn({ id: user.id, email: user.email ?? null }, account?.type === "credentials" ? "password" : (account?.provider ?? "unknown"));
  },
  async signOut(message) {
    if (!("token" in message) || !message.token?.sid) return;
    await revokeSession(message.token.sid);
    if (message.token.sub) await recordSignOut(message.token.sub);
  },
  async createUser({ user }) {
    // Accounts created through OAuth/OIDC get their personal workspace here; credentials sign-up does its own.
    if (!user.id) return;
    await createPersonalWorkspace({ id: user.id, name: user.name ?? null, email: user.email ?? "" });
    await recordOAuthSignUp({ id: user.id, email: user.email ?? null });
  },
} satisfies NonNullable<NextAuthConfig["events"]>;

