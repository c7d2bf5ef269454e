import "server-only";
import { db } from "@/lib/db";
import type { Generation } from "@/lib/generated/prisma/client";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import { buildRequest, deadlineFor, VIDEO_TOOLS, type StoredRequest } from "@/lib/generations/build-request";
import { CANCEL_QUEUE, cancelQueue, cancelUnsent } from "@/lib/generations/cancel";
import { balanceReadBefore, chargeOnAcceptance, settleCharge } from "@/lib/generations/charges";
import { GENERATION_QUEUE } from "@/lib/generations/constants";
import { resolveInput } from "@/lib/generations/inputs";
import { seedOf, withChosenSeed } from "@/lib/generations/seeds";
import { IngestRejected, ingestMedia } from "@/lib/generations/ingest";
import { prepareGeneration } from "@/lib/generations/prepare";
import { catalogFor, generationCatalogOf } from "@/lib/generations/service";
import type { JobResult, QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { isProviderError, type ProviderError } from "@/lib/providers/http/errors";
import type { RenderNetMedia } from "@/lib/providers/rendernet/response-schemas";
import { UserError } from "@/lib/result";
import { recordBalanceQuietly } from "@/lib/data/balance-snapshots";
import { generationRequest, type GenerationRequest, type InputRef } from "@/lib/validation/generations";

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
 * and the claim below then finds nothing to send; a run with `cancelRequestedAt` is never claimed for a create, ends
 * CANCELLED instead of FAILED, and once RUNNING is handed to the cancel job (CANCELLING), which this job leaves alone.
 * Each final transition settles the run's charge (lib/generations/charges.ts).
 */

export interface GenerationJobPayload {
  generationId: string;
  polls?: number;
  reconcileSince?: number;
  /** Creates refused with 429 / outage so far. */
  submitTries?: number;
}

/** Tunables (tests shorten them). */
export const generationTimings = {
  /**
   * Polling delay after n polls: every 0.5 s for the first 3 s (most images finish early, and a result should appear
   * soon after the provider has it), then 1 s, 2 s ... up to 10 s for long videos.
   */
  pollDelayMs: (polls: number) => (polls <= 6 ? 500 : Math.min(10, polls - 6) * 1000),
  reconcileWindowMs: 120_000,
  reconcileEveryMs: 10_000,
  maxSubmitTries: 6,
  submitRetryMs: (tries: number) => Math.min(60_000, 2000 * 2 ** (tries - 1)),
  /** A create refused with a longer Retry-After ends the run ("try again later") rather than waiting that long. */
  maxCreateRetryAfterMs: 10 * 60_000,
};

const FINAL = new Set(["SUCCEEDED", "FAILED", "REFUSED", "CANCELLED"]);
const soon = (ms: number) => new Date(Date.now() + ms);

/** Qolaba has no feed to look a lost create up in: say what may have happened, and what to do. */
export const QOLABA_UNKNOWN_OUTCOME =
  "Qolaba's answer was lost, so we can't tell whether it ran; it may have charged for it. Check your Qolaba account before retrying.";

/** A step whose job was aborted (lease lost, worker stopping) records nothing: the next owner resumes. */
function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("the job was aborted");
}

/** The promise, or the signal's reason as soon as it aborts (for shared work the job only waits for). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    }),
  ]);
}

async function fail(generationId: string, from: Generation["status"][], cause: string, message: string): Promise<void> {
  const finishedAt = new Date();
  // Content refused by the provider is a refusal, as when every result is refused, not a failure.
  const status = cause === "content_refused" ? "REFUSED" : "FAILED";
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generationId, status: { in: from }, cancelRequestedAt: null },
      data: { status, errorCause: cause, errorMessage: message, finishedAt },
    }),
    // Cancelled while its create was on its way, and it never ran: cancelled, with the reason kept.
    db.generation.updateMany({
      where: { id: generationId, status: { in: from }, cancelRequestedAt: { not: null } },
      data: { status: "CANCELLED", errorCause: cause, errorMessage: message, finishedAt },
    }),
    db.media.updateMany({ where: { generationId, status: "PENDING" }, data: { status } }),
    settleCharge(db, generationId),
  ]);
}

function parseStoredRun(generation: Generation): GenerationRequest {
  return generationRequest.parse({ tool: generation.tool, params: generation.params });
}

async function posterKeyOf(generation: Generation): Promise<string | null> {
  if (!VIDEO_TOOLS.has(generation.tool)) return null;
  const params = generation.params as { image?: InputRef; face?: InputRef | null };
  const ref = generation.tool === "IMAGE_TO_VIDEO" ? params.image : params.face;
  if (!ref) return null;
  return resolveInput(generation.workspaceId, ref, "IMAGE")
    .then((input) => input.storageKey)
    .catch(() => null);
}

/** What each gallery item repeats from its run, so every gallery filter is one index scan (see prisma/schema.prisma). */
const galleryFieldsOf = (generation: Generation) => ({
  workspaceId: generation.workspaceId,
  generationId: generation.id,
  tool: generation.tool,
  modelLabel: generation.modelLabel,
  prompt: generation.prompt,
  createdById: generation.createdById,
  boardId: generation.boardId,
});

const mediaKindOf = (generation: Generation): MediaKind => (VIDEO_TOOLS.has(generation.tool) ? "VIDEO" : "IMAGE");

// ---------------------------------------------------------------------------------------------------------------
// QUEUED → send

async function submit(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload, signal?: AbortSignal): Promise<JobResult> {
  let request = generation.request as StoredRequest | null;
  // The seed is in the stored params, so a rebuild sends the same one. A run recorded without one (queued before
  // Atelier chose seeds) gets one now, kept in its params with the claim below, so what is sent is always recorded.
  let seededParams: GenerationRequest["params"] | null = null;
  const unseeded = seedOf(generation.tool, generation.params) === null;
  if (!request || request.connectionId !== connection.connectionId || unseeded) {
    try {
      const stored = parseStoredRun(generation);
      const run = withChosenSeed(stored);
      if (run !== stored) seededParams = run.params;
      request = (await buildRequest(connection, generation.workspaceId, run)).request;
    } catch (error) {
      stopIfAborted(signal);
      if (error instanceof UserError) {
        await fail(generation.id, ["QUEUED"], "invalid_input", error.message);
        return { done: true };
      }
      if (isProviderError(error) && !isTransient(error)) {
        await fail(generation.id, ["QUEUED"], error.cause, error.userMessage);
        return { done: true };
      }
      throw error; // transient: still QUEUED, nothing sent, safe to retry
    }
  }

  // Read before the point of no return: failing here leaves the run QUEUED, to be retried. The catalogue is shared
  // (cached per account), so it is read through an unbound connection and only waited for under the job's signal.
  const catalog =
    request.provider === "rendernet"
      ? generationCatalogOf(await untilAborted(catalogFor(signal ? await getWorkspaceConnection(generation.workspaceId) : connection), signal))
      : undefined;
  stopIfAborted(signal);

  // The point of no return: recorded and committed before anything is sent.
  const sentAt = new Date();
  const claimed = await db.generation.updateMany({
    where: { id: generation.id, status: "QUEUED", cancelRequestedAt: null },
    data: {
      status: "SUBMITTING",
      sentAt,
      request: request as object,
      deadlineAt: deadlineFor(mediaKindOf(generation), sentAt),
      ...(seededParams ? { params: seededParams as object } : {}),
    },
  });
  if (claimed.count === 0) return { retryAt: soon(0) };

  if (request.provider === "rendernet") {
    try {
      const outcome = await connection.rendernet.createGenerations(request.items, catalog ? { catalog } : {});
      const created = outcome.generations[0];
      if (!created || outcome.incomplete) return toReconciling(generation.id, payload);
      await markRunning(generation, created.generationId, created.media, {
        connectionId: connection.connectionId,
        sentAt,
        creditsRemaining: outcome.creditsRemaining,
      });
      return { retryAt: soon(generationTimings.pollDelayMs(1)), payload: { generationId: generation.id, polls: 1 } };
    } catch (error) {
      stopIfAborted(signal); // SUBMITTING stays: the next owner reconciles, never resends
      const answer = createAnswer(error);
      if (answer === "resend") return backToQueue(generation, payload, error as ProviderError);
      if (answer === "refused") {
        // Refused: nothing was created (validation, key, credits, content).
        await fail(generation.id, ["SUBMITTING"], (error as ProviderError).cause, (error as ProviderError).userMessage);
        return { done: true };
      }
      return toReconciling(generation.id, payload);
    }
  }

  try {
    const submission = await connection.qolaba.imageToImage(request.input);
    const expected = request.input.batch ?? 1;
    await db.$transaction([
      db.generation.updateMany({
        where: { id: generation.id, status: "SUBMITTING" },
        data: { status: "RUNNING", providerTaskId: submission.taskId, startedAt: new Date() },
      }),
      db.media.createMany({
        data: Array.from({ length: expected }, (_, position) => ({
          ...galleryFieldsOf(generation),
          position,
          kind: "IMAGE" as const,
        })),
        skipDuplicates: true,
      }),
    ]);
    return { retryAt: soon(generationTimings.pollDelayMs(1)), payload: { generationId: generation.id, polls: 1 } };
  } catch (error) {
    stopIfAborted(signal); // SUBMITTING stays: the next owner reports it as unknown, never resends
    const answer = createAnswer(error);
    if (answer === "resend") return backToQueue(generation, payload, error as ProviderError);
    if (answer === "refused") {
      await fail(generation.id, ["SUBMITTING"], (error as ProviderError).cause, (error as ProviderError).userMessage);
    } else {
      await fail(generation.id, ["SUBMITTING"], "unknown_outcome", QOLABA_UNKNOWN_OUTCOME);
    }
    return { done: true };
  }
}

/**
 * A create that certainly did nothing (429, or a connection never made): the run goes back to QUEUED and is sent
 * again later, after the provider's Retry-After, a bounded number of times.
 */
async function backToQueue(generation: Generation, payload: GenerationJobPayload, error: ProviderError): Promise<JobResult> {
  const tries = (payload.submitTries ?? 0) + 1;
  const retryAfterMs = error.retryAfterMs ?? 0;
  if (tries >= generationTimings.maxSubmitTries || retryAfterMs > generationTimings.maxCreateRetryAfterMs) {
    await fail(generation.id, ["SUBMITTING"], error.cause, error.userMessage);
    return { done: true };
  }
  await db.generation.updateMany({ where: { id: generation.id, status: "SUBMITTING" }, data: { status: "QUEUED", sentAt: null } });
  const delay = Math.max(retryAfterMs, generationTimings.submitRetryMs(tries));
  return { retryAt: soon(delay), payload: { generationId: generation.id, submitTries: tries } };
}

function isTransient(error: ProviderError): boolean {
  return error.cause === "rate_limited" || error.cause === "unavailable" || error.cause === "timeout";
}

/**
 * What a failed create proves, which decides whether it may ever be sent again:
 * - "resend": certainly nothing was done (429, a connection never made, a 408): back to QUEUED, bounded;
 * - "refused": a 4xx refusal or an outbound refusal: nothing was done, and sending it again would not help;
 * - "unknown": it may have been carried out (unknown_outcome from the client, or anything else thrown while sending).
 * The clients report every 5xx of a create as unknown_outcome; a retryable cause carrying a 5xx status is treated as
 * unknown here too, as the worker's own guard against a resend. A refusal with a 5xx (Qolaba's 500 naming the token)
 * stays a refusal.
 */
export function createAnswer(error: unknown): "resend" | "refused" | "unknown" {
  if (!isProviderError(error) || error.cause === "unknown_outcome") return "unknown";
  if (isTransient(error)) return error.status !== undefined && error.status >= 500 ? "unknown" : "resend";
  return "refused";
}

async function toReconciling(generationId: string, payload: GenerationJobPayload): Promise<JobResult> {
  await db.generation.updateMany({ where: { id: generationId, status: "SUBMITTING" }, data: { status: "RECONCILING" } });
  return { retryAt: soon(0), payload: { generationId, reconcileSince: payload.reconcileSince ?? Date.now() } };
}

/** What the provider answered when it accepted the create (absent when the poll only adds media rows). */
type Acceptance = { connectionId: string; sentAt: Date; creditsRemaining?: number | undefined };

async function markRunning(generation: Generation, providerGenerationId: string, media: RenderNetMedia[], accepted?: Acceptance): Promise<void> {
  // RenderNet charges on accepting a create: the charge is known from here (lib/generations/charges.ts).
  const charge = accepted
    ? chargeOnAcceptance({
        estimatedCredits: generation.estimatedCredits,
        creditsRemaining: accepted.creditsRemaining,
        balanceBefore: accepted.creditsRemaining === undefined ? null : await balanceReadBefore(generation.workspaceId, accepted.connectionId, accepted.sentAt),
      })
    : {};
  // The answer's balance is the provider's latest figure: the forms and the usage page show it.
  if (accepted?.creditsRemaining !== undefined) recordBalanceQuietly(generation.workspaceId, "RENDERNET", accepted.connectionId, accepted.creditsRemaining);
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generation.id, status: { in: ["SUBMITTING", "RECONCILING"] } },
      data: { status: "RUNNING", providerGenerationId, startedAt: new Date(), ...charge },
    }),
    db.media.createMany({
      data: media.map((item, position) => ({
        ...galleryFieldsOf(generation),
        position,
        kind: mediaKindOf(generation),
        providerMediaId: item.id,
      })),
      skipDuplicates: true,
    }),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// RECONCILING

async function reconcile(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload, signal?: AbortSignal): Promise<JobResult> {
  const since = payload.reconcileSince ?? Date.now();
  const request = generation.request as StoredRequest | null;
  if (!request || request.provider !== "rendernet" || !generation.sentAt) {
    await fail(generation.id, ["RECONCILING"], "unknown_outcome", QOLABA_UNKNOWN_OUTCOME);
    return { done: true };
  }
  const tracked = await db.generation.findMany({
    where: { workspaceId: generation.workspaceId, providerGenerationId: { not: null } },
    select: { providerGenerationId: true },
  });
  try {
    const matches = await connection.rendernet.findLostGenerations({
      sentAt: generation.sentAt.getTime(),
      items: request.items,
      excludeGenerationIds: tracked.map((row) => row.providerGenerationId as string),
    });
    const match = matches[0];
    if (match) {
      await markRunning(generation, match.generation.generationId, match.generation.media, { connectionId: connection.connectionId, sentAt: generation.sentAt });
      return { retryAt: soon(0), payload: { generationId: generation.id, polls: 1 } };
    }
  } catch (error) {
    stopIfAborted(signal);
    if (!isProviderError(error) || !isTransient(error)) throw error;
  }
  stopIfAborted(signal);
  if (Date.now() - since >= generationTimings.reconcileWindowMs) {
    await fail(generation.id, ["RECONCILING"], "not_received", "The provider did not receive this run; nothing was charged. Retry it.");
    return { done: true };
  }
  return { retryAt: soon(generationTimings.reconcileEveryMs), payload: { generationId: generation.id, reconcileSince: since } };
}

// ---------------------------------------------------------------------------------------------------------------
// RUNNING: poll, ingest, finish

async function finishIfDone(generationId: string, timedOut = false): Promise<boolean> {
  const media = await db.media.findMany({ where: { generationId }, select: { status: true } });
  if (media.length === 0 || media.some((m) => m.status === "PENDING")) return false;
  const ready = media.some((m) => m.status === "READY");
  const allRefused = media.every((m) => m.status === "REFUSED");
  const someRefused = media.some((m) => m.status === "REFUSED");
  const data = ready
    ? { status: "SUCCEEDED" as const, errorCause: null, errorMessage: null }
    : allRefused
      ? { status: "REFUSED" as const, errorCause: "content_refused", errorMessage: "The provider refused to produce this content." }
      : timedOut
        ? { status: "FAILED" as const, errorCause: "timeout", errorMessage: "The provider did not finish this run in time (timed out)." }
        : {
            status: "FAILED" as const,
            errorCause: "failed",
            errorMessage: someRefused ? "Some results were refused and the others failed at the provider." : "The provider could not produce this. Retry it.",
          };
  await db.$transaction([
    db.generation.updateMany({ where: { id: generationId, status: "RUNNING" }, data: { ...data, finishedAt: new Date() } }),
    settleCharge(db, generationId),
  ]);
  return true;
}

async function ingestOrFail(connection: WorkspaceConnection, generation: Generation, mediaId: string, url: string, posterKey: string | null) {
  try {
    const source = generation.provider === "RENDERNET" ? connection.downloads.rendernet : connection.downloads.qolaba;
    await ingestMedia(source, { workspaceId: generation.workspaceId, generationId: generation.id, mediaId, kind: mediaKindOf(generation), posterKey }, url);
  } catch (error) {
    if (!(error instanceof IngestRejected)) throw error;
    logger.warn("generation: output rejected", { generationId: generation.id, mediaId, reason: error.message });
    await db.media.updateMany({ where: { id: mediaId, status: "PENDING" }, data: { status: "FAILED" } });
  }
}

/** Waits for every one (none left running behind the handler's back), then throws the first failure if any. */
async function allSettledOrThrow(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

async function poll(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload, signal?: AbortSignal): Promise<JobResult> {
  const polls = payload.polls ?? 1;
  const again = (): JobResult => ({ retryAt: soon(generationTimings.pollDelayMs(polls + 1)), payload: { generationId: generation.id, polls: polls + 1 } });
  if (generation.deadlineAt && generation.deadlineAt.getTime() < Date.now()) {
    await db.media.updateMany({ where: { generationId: generation.id, status: "PENDING" }, data: { status: "FAILED" } });
    await finishIfDone(generation.id, true);
    return { done: true };
  }
  const pending = await db.media.findMany({ where: { generationId: generation.id, status: "PENDING" }, orderBy: { position: "asc" } });
  // Read only when an output is there to ingest, and once: it is a database read for video runs.
  let poster: Promise<string | null> | undefined;
  const posterKey = () => (poster ??= posterKeyOf(generation));

  try {
    if (generation.provider === "RENDERNET") {
      const remote = await connection.rendernet.getGeneration(generation.providerGenerationId as string);
      if (pending.length === 0 && remote.media.length > 0) {
        await markRunning(generation, remote.generationId, remote.media); // adds rows the create did not list
      }
      const rows = pending.length > 0 ? pending : await db.media.findMany({ where: { generationId: generation.id, status: "PENDING" } });
      // Outputs are ingested side by side: a batch of four is ready when its slowest is, not after all four in turn.
      await allSettledOrThrow(
        rows.map(async (row) => {
          const item = remote.media.find((m) => m.id === row.providerMediaId) ?? remote.media[row.position];
          if (!item) return;
          if (item.status === "success" && item.url) await ingestOrFail(connection, generation, row.id, item.url, await posterKey());
          else if (item.status === "failed") await db.media.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "FAILED" } });
          else if (item.status === "censored") await db.media.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "REFUSED" } });
        }),
      );
    } else {
      let task;
      try {
        task = await connection.qolaba.getTask(generation.providerTaskId as string);
      } catch (error) {
        if (isProviderError(error) && error.cause === "content_refused") {
          await db.media.updateMany({ where: { generationId: generation.id, status: "PENDING" }, data: { status: "REFUSED" } });
          await finishIfDone(generation.id);
          return { done: true };
        }
        throw error;
      }
      if (task.status === "failed") {
        // Qolaba's own words go to the log (sanitized), not to people: the base URL is the workspace's choice.
        if (task.errorMessage) logger.info("generation: Qolaba task failed", { generationId: generation.id, reason: task.errorMessage });
        await fail(generation.id, ["RUNNING"], "failed", "Qolaba could not produce this. Retry it.");
        return { done: true };
      }
      if (task.status === "success") {
        // Matched by the provider's NSFW flags, slot by slot (lib/providers/qolaba/client.ts `slots`), side by side.
        await allSettledOrThrow(
          pending.map(async (row) => {
            const slot = task.slots[row.position];
            if (slot?.kind === "image") await ingestOrFail(connection, generation, row.id, slot.url, null);
            else {
              // Withheld by the safety filter: REFUSED; no image and no flag: FAILED.
              const status = slot?.kind === "withheld" ? "REFUSED" : "FAILED";
              await db.media.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status } });
            }
          }),
        );
      }
    }
  } catch (error) {
    stopIfAborted(signal); // a poll or download cut short records nothing
    if (isProviderError(error) && !isTransient(error)) {
      await fail(generation.id, ["RUNNING"], error.cause, error.userMessage);
      return { done: true };
    }
    if (isProviderError(error)) return again(); // transient read trouble: keep polling until the deadline
    throw error;
  }
  return (await finishIfDone(generation.id)) ? { done: true } : again();
}

// ---------------------------------------------------------------------------------------------------------------

export async function runGenerationJob(payload: GenerationJobPayload, job: { signal?: AbortSignal } = {}): Promise<JobResult> {
  const { signal } = job;
  const generation = await db.generation.findUnique({ where: { id: payload.generationId } });
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
