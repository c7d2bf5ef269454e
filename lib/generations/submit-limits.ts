import "server-only";
import { auditActor } from "@/lib/audit/actor";
import { recordAuditQuietly } from "@/lib/audit/log";
import type { Viewer } from "@/lib/authz";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { consume, refund, type LimitRule } from "@/lib/limits/rate-limiter";
import { logger } from "@/lib/logger";
import { UserError } from "@/lib/result";

/**
 * Fair use of the provider: how many runs a member and a workspace may start per minute, and how many cost estimates
 * a member may ask for, counted in PostgreSQL (lib/limits/rate-limiter.ts) so every app instance shares the counts.
 *
 * - Runs (submits and retries): ATELIER_RUNS_PER_MEMBER_PER_MINUTE (30) per member of a workspace and
 *   ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE (120) per workspace. A place is taken atomically before the expensive work
 *   (inputs uploaded to the provider, the estimate), and given back when no run is recorded after all (invalid input,
 *   no balance or budget, the provider refusing, a concurrent twin with the same idempotency key that lost the race),
 *   so only recorded runs count. (Concurrent twins each hold a place until their race is settled, so near the limit
 *   one of them may be refused; a replay after the run is recorded is answered before any place is taken.) A refused attempt is not counted either: a script hammering the limit does not push back the moment
 *   its member may start again.
 * - Estimates: ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE (120) per member, counted only when the estimate is not
 *   already cached, i.e. when it would reach the provider.
 * Limits are read from the configuration at each call. A refusal is a UserError with code `rate_limited` whose message
 * says when to try again, and writes one `generation.rate_limited` audit entry per member per minute at most.
 * docs/security.md states these figures; change them together.
 */

const WINDOW_SECONDS = 60;

export type FairUseLimit = "member" | "workspace" | "estimate";

export function fairUseRules(): Record<FairUseLimit, LimitRule> {
  const config = env();
  return {
    member: { name: "runs:member", points: config.ATELIER_RUNS_PER_MEMBER_PER_MINUTE, durationSeconds: WINDOW_SECONDS },
    workspace: { name: "runs:workspace", points: config.ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE, durationSeconds: WINDOW_SECONDS },
    estimate: { name: "estimates:member", points: config.ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE, durationSeconds: WINDOW_SECONDS },
  };
}

/** One audit entry per member per minute, whatever the number of refusals. */
const AUDIT_THROTTLE: LimitRule = { name: "audit:generation.rate_limited", points: 1, durationSeconds: WINDOW_SECONDS };

const memberKey = (viewer: Viewer) => `${viewer.workspaceId}|${viewer.userId}`;
const keyOf = (limit: FairUseLimit, viewer: Viewer) => (limit === "workspace" ? viewer.workspaceId : memberKey(viewer));

/** "Try again in 42 seconds." */
function tryAgainIn(seconds: number): string {
  return `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

function refusalMessage(limit: FairUseLimit, points: number, retryAfterSeconds: number): string {
  const what =
    limit === "member"
      ? `You've started ${points} runs in the last minute.`
      : limit === "workspace"
        ? `This workspace has started ${points} runs in the last minute.`
        : `You've asked for ${points} cost estimates in the last minute.`;
  return `${what} ${tryAgainIn(retryAfterSeconds)}`;
}

/** Gives a place back; a failure here must not hide the error the caller is handling, so it is logged instead. */
async function giveBack(limit: FairUseLimit, rule: LimitRule, viewer: Viewer): Promise<void> {
  try {
    await refund(rule, keyOf(limit, viewer));
  } catch (error) {
    logger.warn("fair use: could not give a place back", { limit, error: (error as Error)?.message });
  }
}

async function refuse(limit: FairUseLimit, rule: LimitRule, viewer: Viewer, retryAfterSeconds: number): Promise<UserError> {
  await giveBack(limit, rule, viewer); // the refused attempt itself is not counted
  try {
    const first = await consume(AUDIT_THROTTLE, memberKey(viewer));
    if (first.ok) {
      await recordAuditQuietly({
        action: "generation.rate_limited",
        workspaceId: viewer.workspaceId,
        ...(await auditActor(db, viewer.userId)),
        details: { limit, perMinute: rule.points, retryAfterSeconds },
      });
    }
  } catch (error) {
    logger.warn("fair use: could not record a refusal", { limit, error: (error as Error)?.message });
  }
  return new UserError(refusalMessage(limit, rule.points, retryAfterSeconds), "rate_limited");
}

export interface RunAdmission {
  /** Gives the run's places back (no run was recorded). Safe to call more than once. */
  release(): Promise<void>;
}

/** Takes a place for one run for the member and for the workspace, or throws `rate_limited`. */
export async function admitRun(viewer: Viewer): Promise<RunAdmission> {
  const rules = fairUseRules();
  const member = await consume(rules.member, keyOf("member", viewer));
  if (!member.ok) throw await refuse("member", rules.member, viewer, member.retryAfterSeconds);
  const workspace = await consume(rules.workspace, keyOf("workspace", viewer));
  if (!workspace.ok) {
    await giveBack("member", rules.member, viewer);
    throw await refuse("workspace", rules.workspace, viewer, workspace.retryAfterSeconds);
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await Promise.all([giveBack("member", rules.member, viewer), giveBack("workspace", rules.workspace, viewer)]);
    },
  };
}

/** Counts one estimate that will reach the provider, or throws `rate_limited`. */
export async function admitEstimate(viewer: Viewer): Promise<void> {
  const rule = fairUseRules().estimate;
  const verdict = await consume(rule, keyOf("estimate", viewer));
  if (!verdict.ok) throw await refuse("estimate", rule, viewer, verdict.retryAfterSeconds);
}
