import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { recordFailedSignIn } from "@/lib/audit/sign-in";
import { authAdapter } from "@/lib/data/auth-adapter";
import { getUserSignInState } from "@/lib/data/users";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { authorizeCredentials, SignInRateLimited } from "@/lib/auth/credentials";
import { authEvents } from "@/lib/auth/events";
import { clientAddressFrom, UNKNOWN_ADDRESS } from "@/lib/http/client-address";
import { SESSION_MAX_AGE_SECONDS, createSession, validateSession } from "@/lib/auth/sessions";

/**
 * Auth.js configuration. Auth.js keeps its encrypted JWT cookie, but the JWT only carries a random session token
 * (`sid`); the jwt callback checks that token against the Session table on every request and returns null (which
 * clears the cookie) once the row is gone. That makes every session revocable on the server, also for credentials
 * sign-in, which Auth.js only supports with the JWT strategy.
 */

declare module "next-auth" {
  interface Session {
    userId: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
  }
}

async function requestMeta() {
  try {
    const h = await headers();
    const address = clientAddressFrom(h);
    return { userAgent: h.get("user-agent"), ipAddress: address === UNKNOWN_ADDRESS ? null : address };
  } catch {
    return {};
  }
}

function oauthProviders(): NextAuthConfig["providers"] {
  const e = env();
  const providers: NextAuthConfig["providers"] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  }
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) {
    providers.push(Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET }));
  }
  if (e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET && e.AUTH_OIDC_ISSUER) {
    providers.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_ID,
      clientSecret: e.AUTH_OIDC_SECRET,
    });
  }
  return providers;
}

/** The OAuth/OIDC providers switched on by configuration, for the sign-in page's buttons. */
export function enabledOAuthProviders(): { id: string; name: string }[] {
  return oauthProviders().map((p) => {
    const provider = typeof p === "function" ? p() : p;
    return { id: provider.id, name: provider.name };
  });
}

const nextAuth = NextAuth(() => {
  const e = env();
  return {
    adapter: authAdapter(),
    secret: e.AUTH_SECRET,
    trustHost: e.AUTH_TRUST_HOST,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      error: (error) => {
        // A refused or rate-limited password is an expected outcome (audited in lib/auth/credentials.ts), not a fault.
        if (("type" in error && error.type === "CredentialsSignin") || error instanceof SignInRateLimited) return;
        const cause = (error as { cause?: { err?: unknown } }).cause?.err;
        logger.error("auth error", {
          name: error.name,
          message: error.message,
          ...(cause instanceof Error ? { cause: { name: cause.name, message: cause.message } } : cause !== undefined ? { cause: String(cause).slice(0, 200) } : {}),
        });
      },
      warn: (code) => logger.warn("auth warning", { code }),
      debug: () => {},
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        authorize: (raw, request) => authorizeCredentials(raw, request),
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (!user.id) return true; // a first OAuth sign-in: the adapter creates the user next
        const row = await getUserSignInState(user.id);
        if (row?.disabledAt && account?.type !== "credentials") {
          await recordFailedSignIn({ email: row.email, user: { id: user.id, email: row.email } }, "account_disabled", account?.provider);
        }
        return !row?.disabledAt;
      },
      async jwt({ token, user }) {
        if (user?.id) {
          // A fresh sign-in: open a server-side session and keep only its token in the cookie.
          return { sub: user.id, sid: await createSession(user.id, await requestMeta()) };
        }
        if (!token.sid) return null;
        const live = await validateSession(token.sid);
        if (!live || live.userId !== token.sub) return null;
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub ?? "" };
      },
    },
    events: authEvents,
  } satisfies NextAuthConfig;
});

export const { handlers, signIn, signOut } = nextAuth;

/** The current Auth.js session, resolved once per request. */
export const auth = cache(() => nextAuth.auth());
