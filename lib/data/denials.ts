import "server-only";
import { AUDIT_IDS_MAX, auditIds, recordAudit, type AuditDetailValue } from "@/lib/data/audit";
import { db } from "@/lib/db";
import { requestIp } from "@/lib/http/request-ip";
import { logger } from "@/lib/logger";
import type { AuditAction } from "@/lib/validation/audit-actions";

/**
 * Authorization refusals in the audit log. They are appends to "AuditEvent" (throttled) and the indexed lookups of who
 * owns an id, so they live in the data layer, where lib/data's own scoped queries can report a short answer.
 * What this module promises:
 * - A refusal never changes the answer. Writing it never fails the request (errors are logged and swallowed), and
 *   the probes (a workspace or an id of someone else's) are looked up and written in the background, after the
 *   request has its answer, so another workspace's slug or id answers exactly like a missing one, in the same time.
 * - A scanner cannot flood the table: at most one row per (kind, workspace, actor) per DENIAL_WINDOW_MS in each
 *   process; the refusals folded in the meantime are counted on the next row written for that key (`alsoRefused`).
 *   The window is per process (several instances each write their own row), which bounds the rate, not the total.
 * - Who is refused is recorded in the workspace that was reached for, so its admins see it: a non-member's attempt
 *   in the workspace of the slug, another workspace's id in the workspace that owns it. A missing slug or id
 *   records nothing (there is nobody to tell).
 *
 * Action names: `access.forbidden` (a role too low for an action or route), `access.not_member` (a workspace the
 * user is not in), `access.foreign_id` (another workspace's id), `access.rate_limited` (a limiter inside a
 * workspace, such as the submit limiter), `auth.rate_limited` (an account-level limiter: sign-in, sign-up; no
 * workspace, shown in the workspaces of the account's user when there is one).
 */

export type DenialKind = "forbidden" | "not_member" | "foreign_id" | "rate_limited";

/** One row per (kind, workspace, actor) per minute and process. */
export const DENIAL_WINDOW_MS = 60_000;
const THROTTLE_KEYS_MAX = 10_000;

export type Denial = {
  /** The action or route that was refused, as its name (`createBoard`, `GET /api/w/:workspace/audit`). */
  what: string;
  actorId: string | null;
  /** The email as typed, for a limiter tripping before anyone is known (sign-up); else filled in from the account. */
  actorEmail?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, AuditDetailValue>;
} & (
  | { kind: "forbidden" | "not_member" | "foreign_id"; workspaceId: string }
  /** A limiter: in a workspace, or an account event (workspaceId null). */
  | { kind: "rate_limited"; workspaceId: string | null }
);

const ACTIONS: Record<DenialKind, AuditAction> = {
  forbidden: "access.forbidden",
  not_member: "access.not_member",
  foreign_id: "access.foreign_id",
  rate_limited: "access.rate_limited",
};

// Kept on globalThis: Next bundles pages and route handlers separately, each with its own copy of this module, and
// the throttle (and the writes in flight) must be one per process.
const shared = globalThis as unknown as {
  atelierDenials?: { throttle: Map<string, { until: number; suppressed: number }>; pending: Set<Promise<void>> };
};
shared.atelierDenials ??= { throttle: new Map(), pending: new Set() };
const { throttle, pending } = shared.atelierDenials;

/** Whether a row may be written for this key now; counts the refusal otherwise. Returns the refusals folded since. */
function admit(key: string, now: number): { ok: true; folded: number } | { ok: false } {
  const entry = throttle.get(key);
  if (entry && now < entry.until) {
    entry.suppressed += 1;
    return { ok: false };
  }
  throttle.delete(key); // re-inserted last, so the map's order is oldest first
  throttle.set(key, { until: now + DENIAL_WINDOW_MS, suppressed: 0 });
  if (throttle.size > THROTTLE_KEYS_MAX) {
    for (const [k, v] of throttle) if (v.until <= now) throttle.delete(k);
    for (const k of throttle.keys()) {
      if (throttle.size <= THROTTLE_KEYS_MAX * 0.9) break;
      throttle.delete(k);
    }
  }
  return { ok: true, folded: entry?.suppressed ?? 0 };
}

function track(work: Promise<void>): Promise<void> {
  pending.add(work);
  void work.finally(() => pending.delete(work));
  return work;
}

/** Resolves once every refusal started so far is written (or given up). For tests and a graceful shutdown. */
export async function settleDenials(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}

async function write(denial: Denial): Promise<void> {
  // The address first: it is read from the request while the request is still the current one.
  const ipAddress = await requestIp();
  const who = denial.actorId ?? (denial.actorEmail ? `email:${denial.actorEmail}` : `ip:${ipAddress ?? "unknown"}`);
  const key = `${denial.kind}|${denial.workspaceId ?? "-"}|${who}`;
  const admitted = admit(key, Date.now());
  if (!admitted.ok) return;
  await recordAudit({
    action: denial.workspaceId === null ? "auth.rate_limited" : ACTIONS[denial.kind],
    workspaceId: denial.workspaceId,
    actorId: denial.actorId,
    ...(denial.actorEmail !== undefined ? { actorEmail: denial.actorEmail } : {}),
    targetType: denial.targetType ?? null,
    targetId: denial.targetId ?? null,
    details: { what: denial.what, ...denial.details, ...(admitted.folded ? { alsoRefused: admitted.folded } : {}) },
    ipAddress,
  });
}

async function quietly(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    logger.error("audit: could not record a refusal", { what, error });
  }
}

/**
 * Records a refusal (throttled). Never rejects; await it where the answer does not depend on what is recorded (a
 * role too low, a limiter), or leave it running.
 */
export function recordDenial(denial: Denial): Promise<void> {
  return track(quietly(denial.what, () => write(denial)));
}

/**
 * A signed-in user reached for a workspace slug they are not a member of. Looked up and written in the background:
 * the caller answers "not found" at once, exactly as for a slug that does not exist (which records nothing).
 */
export function reportNotMember(userId: string, slug: string, what: string): void {
  void track(
    quietly(what, async () => {
      const workspace = await db.workspace.findUnique({ where: { slug: slug.slice(0, 200) }, select: { id: true } });
      if (workspace) await write({ kind: "not_member", workspaceId: workspace.id, actorId: userId, what, details: { slug: slug.slice(0, 200) } });
    }),
  );
}

/** The tables whose ids users send, and the one indexed query that finds which other workspaces own some of them. */
const owners = {
  media: (ids: string[], not: string) => db.media.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
  asset: (ids: string[], not: string) => db.asset.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
  board: (ids: string[], not: string) => db.board.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
  generation: (ids: string[], not: string) =>
    db.generation.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
  membership: (ids: string[], not: string) =>
    db.membership.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
  preset: (ids: string[], not: string) => db.preset.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
  invitation: (ids: string[], not: string) =>
    db.invitation.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
  batch: (ids: string[], not: string) => db.batch.findMany({ where: { id: { in: ids }, workspaceId: { not } }, select: { id: true, workspaceId: true } }),
} satisfies Record<string, (ids: string[], not: string) => Promise<{ id: string; workspaceId: string }[]>>;

export type ForeignTarget = keyof typeof owners;

/**
 * Call where a lookup scoped to the caller's workspace found fewer of the ids than were asked for (only on that
 * path): whichever of them belong to another workspace are recorded there as `access.foreign_id`, in the
 * background, so the caller's answer and its timing stay those of a missing id. Ids of the caller's own workspace
 * (an item already in the trash, say) are not refusals and are ignored.
 */
export function reportForeignIds(viewer: { userId: string; workspaceId: string }, target: ForeignTarget, ids: readonly string[], what: string): void {
  const asked = [...new Set(ids.filter((id) => typeof id === "string" && id.length > 0 && id.length <= 200))].slice(0, AUDIT_IDS_MAX);
  if (asked.length === 0) return;
  void track(
    quietly(what, async () => {
      const found = await owners[target](asked, viewer.workspaceId);
      const byOwner = new Map<string, string[]>();
      for (const row of found) byOwner.set(row.workspaceId, [...(byOwner.get(row.workspaceId) ?? []), row.id]);
      for (const [workspaceId, owned] of byOwner) {
        await write({
          kind: "foreign_id",
          workspaceId,
          actorId: viewer.userId,
          what,
          targetType: target,
          targetId: owned.length === 1 ? owned[0]! : null,
          details: { target, count: owned.length, ids: auditIds(owned) },
        });
      }
    }),
  );
}

/** For bulk writes: reports the ids when fewer rows were found or changed than ids were given. */
export function reportIfShort(
  viewer: { userId: string; workspaceId: string },
  target: ForeignTarget,
  ids: readonly string[],
  found: number,
  what: string,
): void {
  if (found < new Set(ids).size) reportForeignIds(viewer, target, ids, what);
}
