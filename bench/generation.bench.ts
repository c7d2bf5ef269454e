import { vi } from "vitest";

// This benchmark starts 40-odd runs within a minute as one member of one workspace, above the fair-use limits
// (lib/generations/submit-limits.ts) it does not measure; set before lib/env.ts is first read.
vi.hoisted(() => {
  process.env.ATELIER_RUNS_PER_MEMBER_PER_MINUTE ??= "1000";
  process.env.ATELIER_RUNS_PER_WORKSPACE_PER_MINUTE ??= "1000";
});

import "@/lib/generations/test-support";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { sandboxApiKey } from "@/lib/connections/sandbox";
import { sandboxBaseUrl, sandboxFetch } from "@/lib/connections/sandbox";
import { createRenderNetClient } from "@/lib/providers/rendernet/client";
import { submitGeneration } from "@/lib/generations/service";
import { generationQueues } from "@/lib/generations/worker";
import { startWorker } from "@/lib/jobs/worker";
import { makeUser, viewerFor } from "@/test/factories";

/**
 * What Atelier adds to a create, measured side by side in one run against the same in-process sandbox:
 *   direct   — the RenderNet client's createGenerations (one HTTP-shaped call to the sandbox);
 *   submit   — submitGeneration: validate, estimate, record the generation and enqueue its job (what the user waits for);
 *   to-send  — from calling submitGeneration until the worker has sent the create (queue pick-up included).
 * And the delay between the provider reporting success and the output being READY in Atelier's storage.
 * Run: npm run bench:generation   (figures also written to bench/results/generation.json)
 */

const N = Number(process.env.BENCH_N ?? 30);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: +at(0.5).toFixed(1), p99: +at(0.99).toFixed(1), mean: +(sorted.reduce((a, b) => a + b, 0) / sorted.length).toFixed(1) };
}

const run = (prompt: string) => ({
  tool: "IMAGE" as const,
  params: {
    base: { kind: "model" as const, name: "JuggernautXL", baseModel: "sdxl" },
    prompt,
    negativePrompt: "",
    aspectRatio: "1:1" as const,
    batchSize: 1,
    seed: 1,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

it("measures Atelier's overhead on a create and the delay to visible", async () => {
  const user = await makeUser("Bench");
  const viewer = await viewerFor(user.id, user.personal.id);
  const client = createRenderNetClient({ apiKey: sandboxApiKey(viewer.workspaceId), baseUrl: sandboxBaseUrl("rendernet"), fetch: sandboxFetch });
  await sandboxFetch(`${sandboxBaseUrl("rendernet").replace(/\/rendernet$/, "")}/__sandbox/credits`, {
    method: "POST",
    headers: { "X-API-KEY": sandboxApiKey(viewer.workspaceId), "Content-Type": "application/json" },
    body: JSON.stringify({ balance: 1_000_000 }),
  });
  const item = { model: "JuggernautXL", prompt: { positive: "warm-up", negative: "" }, aspect_ratio: "1:1" as const, batch_size: 1, seed: 1 };
  await client.createGenerations([item]);
  await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: run("warm-up") });

  const direct: number[] = [];
  const submit: number[] = [];
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    await client.createGenerations([{ ...item, prompt: { positive: `direct ${i}`, negative: "" } }]);
    direct.push(performance.now() - t);
    t = performance.now();
    await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: run(`submit ${i}`) });
    submit.push(performance.now() - t);
  }

  // With a worker running: submit → create sent, and provider success → READY.
  const worker = startWorker({ queues: generationQueues, concurrency: 4, pollMs: 200 });
  const toSend: number[] = [];
  const toVisible: number[] = [];
  try {
    for (let i = 0; i < Math.min(N, 12); i++) {
      const started = Date.now();
      const { generationId } = await submitGeneration(viewer, { idempotencyKey: randomUUID(), boardId: null, run: run(`tracked ${i}`) });
      let providerId: string | null = null;
      let sentAt: Date | null = null;
      while (!providerId) {
        const row = await db.generation.findUniqueOrThrow({ where: { id: generationId }, select: { providerGenerationId: true, sentAt: true } });
        providerId = row.providerGenerationId;
        sentAt = row.sentAt;
        if (!providerId) await new Promise((r) => setTimeout(r, 10));
      }
      toSend.push(sentAt!.getTime() - started);
      // Watch the provider closely to know when it reported success, then wait for Atelier's copy.
      let succeededAt = 0;
      while (!succeededAt) {
        const generation = await client.getGeneration(providerId);
        if (generation.media.every((m) => m.status === "success")) succeededAt = Date.now();
        else await new Promise((r) => setTimeout(r, 20));
      }
      let readyAt: Date | null = null;
      while (!readyAt) {
        const media = await db.media.findFirst({ where: { generationId, status: "READY" }, select: { readyAt: true } });
        readyAt = media?.readyAt ?? null;
        if (!readyAt) await new Promise((r) => setTimeout(r, 20));
      }
      toVisible.push(readyAt.getTime() - succeededAt);
    }
  } finally {
    await worker.stop();
  }

  const figures = {
    n: N,
    direct: stats(direct),
    submit: stats(submit),
    ratioP50: +(stats(submit).p50 / stats(direct).p50).toFixed(2),
    ratioP99: +(stats(submit).p99 / stats(direct).p99).toFixed(2),
    submitToCreateSent: stats(toSend),
    providerSuccessToReady: stats(toVisible),
  };
  console.log(JSON.stringify(figures, null, 2));
  writeFileSync("bench/results/generation.json", `${JSON.stringify({ measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
  expect(figures.direct.n).toBe(N);
});
