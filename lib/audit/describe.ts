import type { Role } from "@/lib/generated/prisma/enums";
import { roleLabel } from "@/lib/authz";

/**
 * An audit entry's target and details in words, for the log's "Details" column. Each writer's `details` shape is
 * known here; an action without its own wording (or an older shape) falls back to its details as "Key: value"
 * pairs, so nothing recorded is ever hidden.
 */

type Details = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const role = (value: unknown): string | null => (typeof value === "string" && value in roleLabel ? roleLabel[value as Role] : str(value));
const items = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "item" : "items"}`;

const METHODS: Record<string, string> = { password: "email and password", github: "GitHub", google: "Google", oidc: "single sign-on" };

const FAILURES: Record<string, string> = {
  wrong_password: "Wrong password",
  unknown_email: "No account has this email",
  no_password: "This account has no password (it signs in with a provider)",
  account_disabled: "The account is disabled",
  invalid_input: "The sign-in request was malformed",
};

function utcDay(value: unknown): string | null {
  const text = str(value);
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

function generic(details: Details): string {
  const parts = Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined && value !== "" && typeof value !== "object")
    .map(([key, value]) => `${key.replace(/([a-z])([A-Z0-9])/g, "$1 $2").replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase())}: ${String(value)}`);
  return parts.join(" · ");
}

const LIMITS: Record<string, string> = {
  emailAddress: "5 attempts in 15 minutes for this email from this address",
  address: "50 attempts in 15 minutes from this address",
  emailSlowed: "Many attempts on this email from many addresses (slowed)",
};

const FAIR_USE: Record<string, (n: string, per: string) => string> = {
  member: (n, per) => `${n} runs ${per} by one member`,
  memberBurst: (n, per) => `${n} runs ${per} by one member`,
  workspace: (n, per) => `${n} runs ${per} in the workspace`,
  workspaceBurst: (n, per) => `${n} runs ${per} in the workspace`,
  estimate: (n, per) => `${n} cost estimates ${per} by one member`,
};

const waited = (seconds: number) => (seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);

export function describeAuditEvent(action: string, rawDetails: unknown): string {
  const d: Details = rawDetails && typeof rawDetails === "object" && !Array.isArray(rawDetails) ? (rawDetails as Details) : {};
  switch (action) {
    case "auth.sign_in": {
      const method = str(d.method);
      return method ? `With ${METHODS[method] ?? method}` : "";
    }
    case "auth.sign_in_failed": {
      const reason = str(d.reason);
      const method = str(d.method);
      const why = reason ? (FAILURES[reason] ?? reason) : "Refused";
      return method && method !== "password" ? `${why} (${METHODS[method] ?? method})` : why;
    }
    case "auth.rate_limited": {
      const limit = str(d.limit);
      const seconds = typeof d.retryAfterSeconds === "number" ? d.retryAfterSeconds : null;
      const which = limit ? (LIMITS[limit] ?? limit) : "A sign-in limit";
      return seconds ? `${which}; told to wait ${seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`}` : which;
    }
    case "generation.rate_limited": {
      const limit = str(d.limit);
      const points = num(d.perWindow);
      const window = num(d.windowSeconds);
      const seconds = num(d.retryAfterSeconds);
      const per = window === 60 ? "a minute" : `in ${window} seconds`;
      const which = limit && limit in FAIR_USE && points !== null && window !== null ? FAIR_USE[limit]!(points.toLocaleString("en-US"), per) : "A run limit";
      return `${which}${seconds ? `; told to wait ${waited(seconds)}` : ""}`;
    }
    case "member.role_changed": {
      const who = str(d.email) ?? "A member";
      const from = role(d.from);
      const to = role(d.to);
      return from && to ? `${who}: ${from} → ${to}` : `${who}${to ? ` is now ${to}` : ""}`;
    }
    case "member.removed": {
      const was = role(d.role);
      return `${str(d.email) ?? "A member"}${was ? ` (${was})` : ""} no longer has access`;
    }
    case "member.left": {
      const was = role(d.role);
      return `${str(d.email) ?? "A member"} left${was ? ` (was ${was})` : ""}`;
    }
    case "connection.key_set": {
      const provider = str(d.provider) ?? "Provider";
      const key = str(d.key);
      return `${provider} key ${key ? `${key} ` : ""}${d.replaced === true ? "replaced the previous key" : "saved"}`.replace(/ +/g, " ").trim();
    }
    case "connection.key_removed": {
      const provider = str(d.provider) ?? "Provider";
      const key = str(d.key);
      const now = str(d.now);
      return `${provider} key${key ? ` ${key}` : ""} removed${now ? `; now ${now}` : ""}`;
    }
    case "connection.keys_rotated":
      return "Stored provider keys re-sealed under a new master key";
    case "member.budget_changed": {
      const who = str(d.member) ?? str(d.email);
      const change = str(d.budget);
      return who && change ? `${who}: ${change}` : generic(d);
    }
    case "invitation.created": {
      const as = role(d.role);
      const until = utcDay(d.expiresAt);
      return `${as ? `For the ${as} role` : "Invite link"}${until ? `, valid until ${until}` : ""}`;
    }
    case "invitation.revoked": {
      const as = role(d.role);
      return as ? `The link for the ${as} role` : "";
    }
    case "board.deleted": {
      const name = str(d.name);
      const count = num(d.items);
      const kept = count === null ? "" : count === 0 ? " (it was empty)" : `; its ${items(count)} ${count === 1 ? "stays" : "stay"} in the gallery`;
      return `${name ? `“${name}”` : "A board"}${kept}`;
    }
    case "trash.emptied": {
      const count = num(d.items);
      if (count === null) return generic(d);
      return `${items(count)}${str(d.scope) === "selected" ? " chosen in the trash" : ""} deleted for good`;
    }
    case "workspace.renamed": {
      const from = str(d.from);
      const to = str(d.to);
      return from && to ? `“${from}” → “${to}”` : generic(d);
    }
    default:
      return generic(d);
  }
}
