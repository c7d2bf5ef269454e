import type { Role } from "@/lib/generated/prisma/enums";
import { roleLabel } from "@/lib/authz";
import { plural, pluralWord } from "@/lib/validation/text";

/**
 * An audit entry's target and details in words, for the log's "Details" column. Pure presentation of a row, so it
 * sits next to the DTO builder that uses it (lib/data/audit.ts), inside the data layer, which never imports the domain. Each writer's `details` shape is
 * known here; an action without its own wording (or an older shape) falls back to its details as "Key: value"
 * pairs, so nothing recorded is ever hidden.
 */

type Details = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const role = (value: unknown): string | null => (typeof value === "string" && value in roleLabel ? roleLabel[value as Role] : str(value));
const items = (n: number) => plural(n, "item");

const METHODS: Record<string, string> = {
  password: "email and password",
  github: "GitHub",
  google: "Google",
  oidc: "single sign-on",
  oauth: "a sign-in provider",
};

const TOOLS: Record<string, string> = {
  IMAGE: "Image",
  EDIT: "Edit",
  ENHANCE: "Enhance",
  NARRATOR: "Narrator",
  IMAGE_TO_VIDEO: "Image to video",
  CONTROLNET: "ControlNet",
};

/** What a refused request reached for, in words: the names the wrappers record (`createBoard`, a route). */
const TARGETS: Record<string, [string, string]> = {
  media: ["gallery item", "gallery items"],
  asset: ["uploaded file", "uploaded files"],
  board: ["board", "boards"],
  generation: ["run", "runs"],
  membership: ["membership", "memberships"],
  invitation: ["invite link", "invite links"],
  preset: ["preset", "presets"],
};

function counted(n: number, [one, many]: [string, string]) {
  return plural(n, one, many);
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** " (and 4 more since the previous entry)": refusals folded into this one by the throttle. */
function folded(d: Details): string {
  const more = num(d.alsoRefused);
  return more ? ` (and ${more.toLocaleString("en-US")} more like it since the previous entry)` : "";
}

/** An action's name as words ("changeMemberRole" → "Change member role"); a route or a phrase stays as it is. */
function doing(value: unknown): string {
  const what = str(value);
  if (!what) return "A request";
  if (!/^[a-z][A-Za-z]*$/.test(what)) return what.replace(/^./, (c) => c.toUpperCase());
  const words = what.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.replace(/^./, (c) => c.toUpperCase());
}

function quoted(value: unknown): string | null {
  const text = str(value);
  return text ? `“${text}”` : null;
}

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
  emailAddress: "5 in 15 minutes for this email from this address",
  address: "too many from this address",
  emailSlowed: "this email was tried from many addresses, so it is slowed",
};

const FAIR_USE: Record<string, (n: number, per: string) => string> = {
  member: (n, per) => `${plural(n, "run")} ${per} by one member`,
  memberBurst: (n, per) => `${plural(n, "run")} ${per} by one member`,
  workspace: (n, per) => `${plural(n, "run")} ${per} in the workspace`,
  workspaceBurst: (n, per) => `${plural(n, "run")} ${per} in the workspace`,
  estimate: (n, per) => `${plural(n, "cost estimate")} ${per} by one member`,
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
    case "generation.rate_limited": {
      const limit = str(d.limit);
      const points = num(d.perWindow);
      const window = num(d.windowSeconds);
      const seconds = num(d.retryAfterSeconds);
      const per = (windowSeconds: number) => (windowSeconds === 60 ? "a minute" : `in ${plural(windowSeconds, "second")}`);
      const which = limit && limit in FAIR_USE && points !== null && window !== null ? FAIR_USE[limit]!(points, per(window)) : "A run limit";
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
      const kept = count === null ? "" : count === 0 ? " (it was empty)" : `; its ${items(count)} ${pluralWord(count, "stays", "stay")} in the gallery`;
      return `${name ? `“${name}”` : "A board"}${kept}`;
    }
    case "trash.emptied": {
      const count = num(d.items);
      if (count === null) return generic(d);
      return `${items(count)}${str(d.scope) === "selected" ? " chosen in the trash" : ""} deleted for good`;
    }
    case "workspace.renamed":
    case "board.renamed": {
      const from = str(d.from);
      const to = str(d.to);
      return from && to ? `“${from}” → “${to}”` : generic(d);
    }
    case "workspace.created":
      return quoted(d.name) ?? generic(d);
    case "auth.signed_up": {
      const method = str(d.method);
      return method ? `With ${METHODS[method] ?? method}` : "";
    }
    case "auth.signed_out":
      return "The session was ended";
    case "auth.rate_limited": {
      const what = str(d.what);
      const limit = str(d.limit);
      const seconds = typeof d.retryAfterSeconds === "number" ? d.retryAfterSeconds : null;
      const which = limit && LIMITS[limit] ? ` (${LIMITS[limit]})` : "";
      const wait = seconds ? `; told to wait ${seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`}` : "";
      return `${what === "signUp" ? "Sign-up" : what === "signIn" ? "Sign-in" : doing(what)} refused: too many attempts${which}${wait}${folded(d)}`;
    }
    case "access.forbidden": {
      const what = doing(d.what);
      const needs = role(d.needs);
      const was = role(d.role);
      const reason = str(d.reason);
      const why = needs ? `needs ${needs}${was ? `, they are ${was}` : ""}` : (reason ?? (was ? `not allowed for ${was}` : "not allowed"));
      return `${what}: ${why}${folded(d)}`;
    }
    case "access.not_member":
      return `${doing(d.what)} by someone who is not a member${folded(d)}`;
    case "access.foreign_id": {
      const target = str(d.target);
      const count = num(d.count) ?? 1;
      const things = counted(count, (target && TARGETS[target]) || ["item", "items"]);
      return `${doing(d.what)} from another workspace, on ${things} of this one${folded(d)}`;
    }
    case "access.rate_limited":
      return `${doing(d.what)} refused by a rate limit${folded(d)}`;
    case "connection.mode_changed": {
      const provider = str(d.provider) ?? "Provider";
      const key = str(d.key);
      const now = str(d.now);
      return `${provider}: key${key ? ` ${key}` : ""} removed${now ? `, now ${now}` : ""}`;
    }
    case "connection.tested": {
      const provider = str(d.provider) ?? "Provider";
      const message = str(d.message);
      return `${provider}: ${d.ok === true ? "works" : "failed"}${message ? `. ${message}` : ""}`;
    }
    case "invitation.accepted": {
      const as = role(d.role);
      return as ? `Joined as ${as}` : "Joined";
    }
    case "generation.submitted": {
      const tool = str(d.tool);
      const credits = num(d.credits);
      const cost = credits === null ? "" : `, ${plural(credits, "credit")} estimated`;
      const origin = str(d.retryOf) ? " (a retry of a failed run)" : str(d.variationOf) ? " (a variation of an earlier run)" : "";
      return `${tool ? (TOOLS[tool] ?? tool) : "A run"}${cost}${origin}`;
    }
    case "generation.cancelled": {
      const tool = str(d.tool);
      const provider = str(d.provider);
      const what = tool ? (TOOLS[tool] ?? tool) : "A";
      const where = d.sent === false ? " before it was sent" : provider ? ` at ${provider}` : "";
      return `${what} run${where}${str(d.author) ? " (another member's)" : ""}`;
    }
    case "batch.started": {
      const name = quoted(d.name) ?? "A batch";
      const runs = num(d.runs);
      const cap = num(d.cap);
      return `${name}${runs === null ? "" : `, ${plural(runs, "run")}`}${cap === null ? "" : `, capped at ${plural(cap, "credit")}`}`;
    }
    case "batch.paused":
    case "batch.resumed":
    case "batch.cancelled":
    case "batch.finished": {
      const name = quoted(d.name) ?? "A batch";
      const reason = str(d.reason);
      const cap = num(d.cap);
      const left = num(d.notSubmitted);
      return [name, reason, cap === null ? null : `cap ${plural(cap, "credit")}`, left ? `${plural(left, "run")} never submitted` : null].filter(Boolean).join("; ");
    }
    case "media.trashed":
    case "media.restored":
    case "media.favorited":
    case "media.unfavorited": {
      const count = num(d.items);
      return count === null ? generic(d) : items(count);
    }
    case "media.moved": {
      const count = num(d.items);
      const board = str(d.board);
      if (count === null) return generic(d);
      return board ? `${items(count)} → “${board}”` : `${items(count)} taken out of their board`;
    }
    case "board.created": {
      const name = quoted(d.name) ?? "A board";
      const count = num(d.items);
      return count ? `${name}, with ${items(count)} put back in it` : name;
    }
    case "asset.uploaded":
    case "asset.deleted": {
      const name = quoted(d.name);
      const kind = str(d.kind);
      const bytes = num(d.bytes);
      const about = [kind, bytes === null ? null : megabytes(bytes)].filter(Boolean).join(", ");
      // An upload recognised as a file the workspace has (lib/generations/assets.ts): nothing new was stored.
      const sameAs = quoted(d.sameAs);
      const kept = sameAs ? `, already in the assets as ${sameAs}` : "";
      return name ? `${name}${about ? ` (${about})` : ""}${kept}` : generic(d);
    }
    case "preset.created":
    case "preset.updated":
    case "preset.deleted": {
      const name = quoted(d.name) ?? "A preset";
      const tool = str(d.tool);
      const shared = d.shared === true ? ", shared with the workspace" : d.shared === false ? ", personal" : "";
      const author = str(d.author);
      const whose = author ? ` (saved by ${author})` : "";
      const how = action === "preset.updated" ? " from the current settings" : "";
      return `${name}${tool ? ` for ${TOOLS[tool] ?? tool}` : ""}${shared}${how}${whose}`;
    }
    case "preset.renamed": {
      const from = str(d.from);
      const to = str(d.to);
      const author = str(d.author);
      return from && to ? `“${from}” → “${to}”${author ? ` (saved by ${author})` : ""}` : generic(d);
    }
    case "character.created":
    case "character.edited": {
      const name = quoted(d.name);
      const type = str(d.type);
      const image = str(d.image) === "replaced" ? ", new image" : "";
      return name ? `${name}${type ? ` (${type}${image})` : ""}` : generic(d);
    }
    default:
      return generic(d);
  }
}
