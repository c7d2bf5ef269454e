import "server-only";
import { getRunForJob } from "@/lib/data/generation-runs";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import { CANCEL_QUEUE, cancelQueue, cancelUnsent } from "@/lib/generations/cancel";
import { GENERATION_QUEUE } from "@/lib/generations/constants";
import { prepareGeneration } from "@/lib/generations/prepare";
import { fail, QOLABA_UNKNOWN_OUTCOME, soon, type GenerationJobPayload } from "@/lib/generations/run/common";
import { poll } from "@/lib/generations/run/poll-step";
import { reconcile } from "@/lib/generations/run/reconcile-step";
import { submit, toReconciling } from "@/lib/generations/run/submit-step";
import type { JobResult, QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";

/**
 * The generation state machine, run by the `generation.submit` job (one per generation, rescheduled while it is
 * tracked). Everything lives in the database, so a killed process resumes where it was:
 *
 *   PREPARING ──(inputs uploaded; priced and budget-checked if the submit could not: prepare.ts)──▶ QUEUED, sent at once
 *      └─ refused (input gone, balance, budget, deadline) ─▶ FAILED, nothing sent
 *   QUEUED ──(request saved, SUBMITTING + sentAt committed)──▶ send the create ONCE
 *      ├─ accepted ─────────▶ RUNNING (provider ids, PENDING media) ──poll──▶ ingest ▶ SUCCEEDED | FAILED | REFUSED
 *      ├─ answer lost ──────▶ RECONCILING ──found in the provider's list──▶ RUNNING
 *      │                                   └─ not found for ~2 min ─────▶ FAILED (nothing was charged)
 *      └─ refused ──────────▶ FAILED (errorCause, the error's userMessage)
 *   SUBMITTING found by a (re-)run: the process died mid-send. Never send again: RECONCILING (Qolaba: FAILED, it
 *   cannot be reconciled).
 *
 * A create goes back to QUEUED (to be sent again, a bounded number of times) only when its answer proves nothing was
 * carried out: a 429 (after its Retry-After), or a connection never made (DNS, refused, breaker open). A 4xx refusal
 * ends the run (FAILED; REFUSED for refused content). Anything that may hide a create that was carried out (any 5xx,
 * a reset or timeout after sending, an unreadable 2xx, an abort) is `unknown_outcome`: RenderNet → RECONCILING,
 * Qolaba (no feed to look in) → FAILED saying it may have been charged.
 *
 * The job's signal (lease lost, worker stopping) is bound to the connection: every provider call, upload and
 * download of the run stops with it, and an aborted step records nothing and throws, so the next owner resumes from
 * the committed status (a create cut short is SUBMITTING, hence reconciled, never resent).
 *
 * Every transition is a conditional update on the expected status, so a stale run cannot move a generation back.
 * Cancelling (lib/generations/cancel.ts) relies on that: a QUEUED run becomes CANCELLED in one conditional update
 * and the create's claim then finds nothing to send; a run with `cancelRequestedAt` is never claimed for a create,
 * ends CANCELLED instead of FAILED, and once RUNNING is handed to the cancel job (CANCELLING), which this job leaves
 * alone. Each final transition settles the run's charge (rules: lib/generations/charges.ts). Every one of these
 * writes, with its WHERE clause, is a named function in lib/data/generation-runs.ts.
 */

// The steps live in lib/generations/run/ (submit-step, reconcile-step, poll-step) and share run/common.ts, which also
// holds the timings: the steps read them, and importing them from here would make a cycle. What tests, benches and
// the job worker import stays reachable from here.
export { generationTimings, QOLABA_UNKNOWN_OUTCOME, type GenerationJobPayload } from "@/lib/generations/run/common";
export { createAnswer } from "@/lib/generations/run/submit-step";

const FINAL = new Set(["SUCCEEDED", "FAILED", "REFUSED", "CANCELLED"]);

export async function runGenerationJob(payload: GenerationJobPayload, job: { signal?: AbortSignal } = {}): Promise<JobResult> {
  const { signal } = job;
  const generation = await getRunForJob(payload.generationId);
  // CANCELLING: the cancel job (lib/generations/cancel.ts) finishes it; nothing more to poll.
  if (!generation || FINAL.has(generation.status) || generation.status === "CANCELLING") return { done: true };
  // Cancelled while its create was on its way, then sent back to the queue (a 429): nothing was sent, nothing will be.
  if (generation.status === "QUEUED" && generation.cancelRequestedAt) {
    await cancelUnsent(generation.id);
    return { done: true };
  }
  // Bound to the job: every provider call, upload and download stops with it, and logs carry the run's id.
  const connection: WorkspaceConnection = await getWorkspaceConnection(generation.workspaceId, {
    ...(signal ? { signal } : {}),
    context: { generationId: generation.id },
  });
  // A provider that can't be used (not connected, or a key this server can't open): a run not yet sent fails with
  // the reason and nothing is sent; one already at the provider keeps trying until the connection is mended.
  const unavailable = generation.provider === "RENDERNET" ? connection.unavailable.rendernet : connection.unavailable.qolaba;
  if (unavailable && (generation.status === "QUEUED" || generation.status === "PREPARING")) {
    await fail(generation.id, ["QUEUED", "PREPARING"], "no_connection", unavailable);
    return { done: true };
  }
  switch (generation.status) {
    case "PREPARING": {
      const prepared = await prepareGeneration(generation, connection);
      if ("queued" in prepared) return submit(prepared.queued, connection, payload, signal); // sent at once, no extra round
      return "ended" in prepared ? { done: true } : { retryAt: soon(0) };
    }
    case "QUEUED":
      return submit(generation, connection, payload, signal);
    case "SUBMITTING":
      // A previous run died (or was aborted) between committing SUBMITTING and recording the answer: never send again.
      if (generation.provider === "QOLABA") {
        await fail(generation.id, ["SUBMITTING"], "unknown_outcome", QOLABA_UNKNOWN_OUTCOME);
        return { done: true };
      }
      return toReconciling(generation.id, payload);
    case "RECONCILING":
      return reconcile(generation, connection, payload, signal);
    case "RUNNING":
      return poll(generation, connection, payload, signal);
    default:
      return { done: true };
  }
}

export const generationQueue: QueueDefinition<GenerationJobPayload> = {
  handle: (payload, context) => runGenerationJob(payload, { signal: context.signal }),
  async onDead(payload, error) {
    logger.error("generation: given up after repeated errors", { generationId: payload.generationId, error: (error as Error)?.message });
    await fail(
      payload.generationId,
      ["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING"],
      "internal",
      "Atelier could not complete this run after repeated errors. Retry it.",
    );
  },
};

export const generationQueues = { [GENERATION_QUEUE]: generationQueue, [CANCEL_QUEUE]: cancelQueue } as Record<string, QueueDefinition<never>>;
