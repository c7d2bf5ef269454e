import "server-only";
import { db } from "@/lib/db";
import type { Generation } from "@/lib/generated/prisma/client";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import { buildRequest, deadlineFor, VIDEO_TOOLS, type StoredRequest } from "@/lib/generations/build-request";
import { GENERATION_QUEUE } from "@/lib/generations/constants";
import { resolveInput } from "@/lib/generations/inputs";
import { IngestRejected, ingestMedia } from "@/lib/generations/ingest";
import { prepareGeneration } from "@/lib/generations/prepare";
import { catalogFor, generationCatalogOf } from "@/lib/generations/service";
import type { JobResult, QueueDefinition } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { isProviderError, type ProviderError } from "@/lib/providers/http/errors";
import type { RenderNetMedia } from "@/lib/providers/rendernet/response-schemas";
import { UserError } from "@/lib/result";
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
 * Every transition is a conditional update on the expected status, so a stale run cannot move a generation back.
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
};

const FINAL = new Set(["SUCCEEDED", "FAILED", "REFUSED"]);
const soon = (ms: number) => new Date(Date.now() + ms);

async function fail(generationId: string, from: Generation["status"][], cause: string, message: string): Promise<void> {
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generationId, status: { in: from } },
      data: { status: "FAILED", errorCause: cause, errorMessage: message, finishedAt: new Date() },
    }),
    db.media.updateMany({ where: { generationId, status: "PENDING" }, data: { status: "FAILED" } }),
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

async function submit(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload): Promise<JobResult> {
  let request = generation.request as StoredRequest | null;
  if (!request || request.connectionId !== connection.connectionId) {
    try {
      request = (await buildRequest(connection, generation.workspaceId, parseStoredRun(generation))).request;
    } catch (error) {
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

  // Read before the point of no return: failing here leaves the run QUEUED, to be retried.
  const catalog = request.provider === "rendernet" ? generationCatalogOf(await catalogFor(connection)) : undefined;

  // The point of no return: recorded and committed before anything is sent.
  const sentAt = new Date();
  const claimed = await db.generation.updateMany({
    where: { id: generation.id, status: "QUEUED" },
    data: { status: "SUBMITTING", sentAt, request: request as object, deadlineAt: deadlineFor(mediaKindOf(generation), sentAt) },
  });
  if (claimed.count === 0) return { retryAt: soon(0) };

  if (request.provider === "rendernet") {
    try {
      const outcome = await connection.rendernet.createGenerations(request.items, catalog ? { catalog } : {});
      const created = outcome.generations[0];
      if (!created || outcome.incomplete) return toReconciling(generation.id, payload);
      await markRunning(generation, created.generationId, created.media);
      return { retryAt: soon(generationTimings.pollDelayMs(1)), payload: { generationId: generation.id, polls: 1 } };
    } catch (error) {
      if (isProviderError(error) && isTransient(error)) return backToQueue(generation, payload, error);
      if (isProviderError(error) && error.cause !== "unknown_outcome") {
        // Refused: nothing was created (validation, key, credits).
        await fail(generation.id, ["SUBMITTING"], error.cause, error.userMessage);
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
    if (isProviderError(error) && isTransient(error)) return backToQueue(generation, payload, error);
    if (isProviderError(error) && error.cause !== "unknown_outcome") {
      await fail(generation.id, ["SUBMITTING"], error.cause, error.userMessage);
    } else {
      await fail(
        generation.id,
        ["SUBMITTING"],
        "unknown_outcome",
        "Qolaba's answer was lost, so the outcome is unknown and cannot be checked. Retry it if no result appears.",
      );
    }
    return { done: true };
  }
}

/**
 * A create answered 429 or an outage status: the client guarantees nothing was created (a lost or gateway answer
 * would be unknown_outcome), so the run goes back to QUEUED and is sent again later, a bounded number of times.
 */
async function backToQueue(generation: Generation, payload: GenerationJobPayload, error: ProviderError): Promise<JobResult> {
  const tries = (payload.submitTries ?? 0) + 1;
  if (tries >= generationTimings.maxSubmitTries) {
    await fail(generation.id, ["SUBMITTING"], error.cause, error.userMessage);
    return { done: true };
  }
  await db.generation.updateMany({ where: { id: generation.id, status: "SUBMITTING" }, data: { status: "QUEUED", sentAt: null } });
  const delay = Math.max(error.retryAfterMs ?? 0, generationTimings.submitRetryMs(tries));
  return { retryAt: soon(delay), payload: { generationId: generation.id, submitTries: tries } };
}

function isTransient(error: ProviderError): boolean {
  return error.cause === "rate_limited" || error.cause === "unavailable" || error.cause === "timeout";
}

async function toReconciling(generationId: string, payload: GenerationJobPayload): Promise<JobResult> {
  await db.generation.updateMany({ where: { id: generationId, status: "SUBMITTING" }, data: { status: "RECONCILING" } });
  return { retryAt: soon(0), payload: { generationId, reconcileSince: payload.reconcileSince ?? Date.now() } };
}

async function markRunning(generation: Generation, providerGenerationId: string, media: RenderNetMedia[]): Promise<void> {
  await db.$transaction([
    db.generation.updateMany({
      where: { id: generation.id, status: { in: ["SUBMITTING", "RECONCILING"] } },
      data: { status: "RUNNING", providerGenerationId, startedAt: new Date() },
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

async function reconcile(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload): Promise<JobResult> {
  const since = payload.reconcileSince ?? Date.now();
  const request = generation.request as StoredRequest | null;
  if (!request || request.provider !== "rendernet" || !generation.sentAt) {
    await fail(generation.id, ["RECONCILING"], "unknown_outcome", "Qolaba's answer was lost, so the outcome is unknown and cannot be checked. Retry it if no result appears.");
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
      await markRunning(generation, match.generation.generationId, match.generation.media);
      return { retryAt: soon(0), payload: { generationId: generation.id, polls: 1 } };
    }
  } catch (error) {
    if (!isProviderError(error) || !isTransient(error)) throw error;
  }
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
  await db.generation.updateMany({ where: { id: generationId, status: "RUNNING" }, data: { ...data, finishedAt: new Date() } });
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

async function poll(generation: Generation, connection: WorkspaceConnection, payload: GenerationJobPayload): Promise<JobResult> {
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
        await allSettledOrThrow(
          pending.map(async (row) => {
            const url = task.urls[row.position];
            if (url) await ingestOrFail(connection, generation, row.id, url, null);
            // Missing images were dropped by Qolaba's NSFW filter.
            else await db.media.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "REFUSED" } });
          }),
        );
      }
    }
  } catch (error) {
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

export async function runGenerationJob(payload: GenerationJobPayload): Promise<JobResult> {
  const generation = await db.generation.findUnique({ where: { id: payload.generationId } });
  if (!generation || FINAL.has(generation.status)) return { done: true };
  const connection: WorkspaceConnection = await getWorkspaceConnection(generation.workspaceId);
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
      if ("queued" in prepared) return submit(prepared.queued, connection, payload); // sent at once, no extra round
      return "ended" in prepared ? { done: true } : { retryAt: soon(0) };
    }
    case "QUEUED":
      return submit(generation, connection, payload);
    case "SUBMITTING":
      // A previous run died between committing SUBMITTING and recording the answer: never send again.
      if (generation.provider === "QOLABA") {
        await fail(generation.id, ["SUBMITTING"], "unknown_outcome", "Qolaba's answer was lost, so the outcome is unknown and cannot be checked. Retry it if no result appears.");
        return { done: true };
      }
      return toReconciling(generation.id, payload);
    case "RECONCILING":
      return reconcile(generation, connection, payload);
    case "RUNNING":
      return poll(generation, connection, payload);
    default:
      return { done: true };
  }
}

export const generationQueue: QueueDefinition<GenerationJobPayload> = {
  handle: (payload) => runGenerationJob(payload),
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

export const generationQueues = { [GENERATION_QUEUE]: generationQueue } as Record<string, QueueDefinition<never>>;
