import "server-only";
import { recordAuditQuietly } from "@/lib/data/audit";
import type { Viewer } from "@/lib/authz";
import { env } from "@/lib/env";
import { createKeyedGate, GateFullError } from "@/lib/limits/keyed-gate";
import { consume, refund, type LimitRule } from "@/lib/limits/rate-limiter";
import { tryAgainIn } from "@/lib/limits/wait-message";
import { logger } from "@/lib/logger";
import { UserError } from "@/lib/result";
import { plural } from "@/lib/validation/text";

/**
 * Fair use of the provider and of this server: how many runs a member and a workspace may start, and how many cost
 * estimates a member may ask for, counted in PostgreSQL (lib/limits/rate-limiter.ts) so every app instance shares
 * the counts.
 *
 * - Runs (submits and retries): ATELIER_RUNS_PER_MEMBER_PER_MINUTE (30) per member of a workspace and
 *   ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE (120) per workspace, and at most a quarter of each in a 10-second window,
 *   so a minute's allowance cannot arrive as one spike (150 submits in 4 s would otherwise put 120 runs on the worker
 *   and the provider at once: bench/fair-use.bench.ts). A place is taken atomically before the expensive work (inputs
 *   uploaded to the provider, the estimate), and given back when no run is recorded after all (invalid input, no
 *   balance or budget, the provider refusing, a concurrent twin with the same idempotency key that lost the race), so
 *   only recorded runs count. (Concurrent twins each hold a place until their race is settled, so near the limit one
 *   of them may be refused; a replay after the run is recorded is answered before any place is taken.) A refused
 *   attempt is not counted either: a script hammering the limit does not push back when its member may start again.
 * - Estimates: ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE (120) per member, counted only when the estimate is not
 *   already cached, i.e. when it would reach the provider.
 * - Turns: in each process, at most WORKSPACE_TURNS (2) submits of one workspace, and apart from them 2 of its
 *   estimates (which may wait seconds on an upload), are worked on at once, limits included; up to WORKSPACE_LINE (50) more wait their turn holding nothing, and past that a request is
 *   refused at once (`rate_limited`, "Try again in a few seconds") without touching the database. Otherwise a burst of
 *   one workspace's requests queues in the database and rate-limit pools ahead of everyone else's (and concurrent
 *   submits of one member wait on their budget lock inside transactions, each holding a connection).
 * Limits are read from the configuration at each call. A refusal is a UserError with code `rate_limited` whose message
 * says when to try again, and writes one `generation.rate_limited` audit entry per member per minute at most.
 * docs/security.md states these figures; change them together.
 */

export type FairUseLimit = "member" | "memberBurst" | "workspace" | "workspaceBurst" | "estimate";

const MINUTE = 60;
const BURST_SECONDS = 10;
const burst = (perMinute: number) => Math.max(1, Math.ceil(perMinute / 4));

export function fairUseRules(): Record<FairUseLimit, LimitRule> {
  const config = env();
  const member = config.ATELIER_RUNS_PER_MEMBER_PER_MINUTE;
  const workspace = config.ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE;
  return {
    member: { name: "runs:member", points: member, durationSeconds: MINUTE },
    memberBurst: { name: "runs:member:10s", points: burst(member), durationSeconds: BURST_SECONDS },
    workspace: { name: "runs:workspace", points: workspace, durationSeconds: MINUTE },
    workspaceBurst: { name: "runs:workspace:10s", points: burst(workspace), durationSeconds: BURST_SECONDS },
    estimate: { name: "estimates:member", points: config.ATELIER_ESTIMATES_PER_MEMBER_PER_MINUTE, durationSeconds: MINUTE },
  };
}

/**
 * A run's places, taken in two steps: the member's two windows together, then the workspace's two, so a member
 * already over their own limit never takes (even for a moment) a place another member of the workspace needs.
 */
const RUN_STEPS = [
  ["member", "memberBurst"],
  ["workspace", "workspaceBurst"],
] as const;

const memberKey = (viewer: Viewer) => `${viewer.workspaceId}|${viewer.userId}`;
const keyOf = (limit: FairUseLimit, viewer: Viewer) => (limit === "workspace" || limit === "workspaceBurst" ? viewer.workspaceId : memberKey(viewer));

function refusalMessage(limit: FairUseLimit, rule: LimitRule, retryAfterSeconds: number): string {
  const period = rule.durationSeconds === MINUTE ? "minute" : plural(rule.durationSeconds, "second");
  const what =
    limit === "estimate"
      ? `You've asked for ${plural(rule.points, "cost estimate")} in the last ${period}.`
      : limit === "workspace" || limit === "workspaceBurst"
        ? `This workspace has started ${plural(rule.points, "run")} in the last ${period}.`
        : `You've started ${plural(rule.points, "run")} in the last ${period}.`;
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

/**
 * One audit entry per member per minute, whatever the number of refusals: the shared throttle decides across
 * instances; this process remembers whom it recorded lately, so a flood's refusals skip even that query.
 */
const AUDIT_THROTTLE: LimitRule = { name: "audit:generation.rate_limited", points: 1, durationSeconds: MINUTE };
const globalForAudit = globalThis as unknown as { atelierFairUseAudited?: Map<string, number> };
const recentlyAudited = (globalForAudit.atelierFairUseAudited ??= new Map());

async function auditRefusal(limit: FairUseLimit, rule: LimitRule, viewer: Viewer, retryAfterSeconds: number): Promise<void> {
  const key = memberKey(viewer);
  const now = Date.now();
  if (now - (recentlyAudited.get(key) ?? 0) < MINUTE * 1000) return;
  if (recentlyAudited.size > 10_000) recentlyAudited.clear();
  recentlyAudited.set(key, now);
  try {
    if (!(await consume(AUDIT_THROTTLE, key)).ok) return;
    await recordAuditQuietly({
      action: "generation.rate_limited",
      workspaceId: viewer.workspaceId,
      actorId: viewer.userId, // the writer fills in their email and the request's address (lib/audit/log.ts)
      details: { limit, perWindow: rule.points, windowSeconds: rule.durationSeconds, retryAfterSeconds },
    });
  } catch (error) {
    logger.warn("fair use: could not record a refusal", { limit, error: (error as Error)?.message });
  }
}

async function refuse(limit: FairUseLimit, rule: LimitRule, viewer: Viewer, retryAfterSeconds: number): Promise<UserError> {
  await giveBack(limit, rule, viewer); // the refused attempt itself is not counted
  await auditRefusal(limit, rule, viewer, retryAfterSeconds);
  return new UserError(refusalMessage(limit, rule, retryAfterSeconds), "rate_limited");
}

export interface RunAdmission {
  /** Gives the run's places back (no run was recorded). Safe to call more than once. */
  release(): Promise<void>;
}

/** Takes a place for one run in each of the member's and the workspace's limits, or throws `rate_limited`. */
export async function admitRun(viewer: Viewer): Promise<RunAdmission> {
  const rules = fairUseRules();
  const taken: FairUseLimit[] = [];
  const releaseTaken = () => Promise.all(taken.splice(0).map((limit) => giveBack(limit, rules[limit], viewer)));
  for (const step of RUN_STEPS) {
    const verdicts = await Promise.all(step.map((limit) => consume(rules[limit], keyOf(limit, viewer))));
    taken.push(...step.filter((_, i) => verdicts[i]!.ok));
    const refused = step
      .map((limit, i) => ({ limit, verdict: verdicts[i]! }))
      .flatMap(({ limit, verdict }) => (verdict.ok ? [] : [{ limit, retryAfterSeconds: verdict.retryAfterSeconds }]))
      .sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds);
    if (refused.length > 0) {
      // Everything taken so far goes back, and so does the refused attempt in each window it hit (it is not counted);
      // the message names the window that keeps the member waiting longest.
      const [longest, ...others] = refused;
      await Promise.all([releaseTaken(), ...others.map(({ limit }) => giveBack(limit, rules[limit], viewer))]);
      throw await refuse(longest!.limit, rules[longest!.limit], viewer, longest!.retryAfterSeconds);
    }
  }
  return {
    async release() {
      await releaseTaken();
    },
  };
}

/** Counts one estimate that will reach the provider, or throws `rate_limited`. */
export async function admitEstimate(viewer: Viewer): Promise<void> {
  const rule = fairUseRules().estimate;
  const verdict = await consume(rule, keyOf("estimate", viewer));
  if (!verdict.ok) throw await refuse("estimate", rule, viewer, verdict.retryAfterSeconds);
}

/**
 * Submits (and, on their own line, estimates) of one workspace worked on at once in this process, and how many may
 * wait (see the header). Two lines, not one: an estimate can wait seconds on the provider (it uploads the run's
 * inputs), and a Generate click must not queue behind the form's own estimates.
 */
export const WORKSPACE_TURNS = 2;
export const WORKSPACE_LINE = 50;

export const BUSY_MESSAGE = "Too many runs are being started in this workspace right now. Try again in a few seconds.";

export type TurnLine = "runs" | "estimates";
const globalForTurns = globalThis as unknown as { atelierWorkspaceLines?: Record<TurnLine, ReturnType<typeof createKeyedGate>> };
const turns = (globalForTurns.atelierWorkspaceLines ??= {
  runs: createKeyedGate(WORKSPACE_TURNS, { maxWaiting: WORKSPACE_LINE }),
  estimates: createKeyedGate(WORKSPACE_TURNS, { maxWaiting: WORKSPACE_LINE }),
});

/** Runs a submit or an estimate (limits included) in the workspace's turn on its line; a full line answers `rate_limited` at once. */
export async function inWorkspaceTurn<T>(viewer: Viewer, task: () => Promise<T>, line: TurnLine = "runs"): Promise<T> {
  try {
    return await turns[line].run(viewer.workspaceId, task);
  } catch (error) {
    if (error instanceof GateFullError) throw new UserError(BUSY_MESSAGE, "rate_limited");
    throw error;
  }
}

/** How many of the workspace's submits (or estimates) are being worked on and waiting in this process (tests). */
export function workspaceTurnLoad(viewer: Viewer, line: TurnLine = "runs") {
  return turns[line].load(viewer.workspaceId);
}
