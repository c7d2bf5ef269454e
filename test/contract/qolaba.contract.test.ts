import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createQolabaClient, type QolabaClient, type QolabaTask } from "@/lib/providers/qolaba/client";
import { imageToImageInputSchema } from "@/lib/providers/qolaba/request-schemas";
import { QOLABA_SPEC, recordingFetch, startPrism, startTestSandbox } from "./processes";

/** Atelier's Qolaba client against the sandbox through Prism (both directions validated against the spec). */

let sandbox: { url: string; close: () => Promise<void> };
let prism: { url: string; close: () => Promise<void> };
let client: QolabaClient;
let referenceImage: string;
const token = `contract-${randomUUID()}`;
const recorder = recordingFetch();

beforeAll(async () => {
  sandbox = await startTestSandbox("contract-q");
  prism = await startPrism(QOLABA_SPEC, `${sandbox.url}/qolaba`);
  // Prism listens on plain http on loopback: a stand-in the test configures itself, like the sandbox.
  client = createQolabaClient({ token, baseUrl: prism.url, allowHttp: true, fetch: recorder.fetch });
  // A picture hosted by the (simulated) provider side, as Qolaba needs a URL it can fetch.
  const models = (await (await fetch(`${sandbox.url}/rendernet/pub/v1/models`, { headers: { "X-API-KEY": token } })).json()) as {
    data: { thumbnail?: string }[];
  };
  referenceImage = models.data.find((m) => m.thumbnail)!.thumbnail!;
}, 60_000);

afterAll(async () => {
  await prism?.close();
  await sandbox?.close();
});

afterEach(() => {
  expect(recorder.violations()).toEqual([]);
});

async function finish(taskId: string): Promise<QolabaTask> {
  let task = await client.getTask(taskId);
  await expect
    .poll(async () => (task = await client.getTask(taskId)).status, { timeout: 15_000, interval: 150, message: `task ${taskId} stayed pending` })
    .not.toBe("pending");
  return task;
}

describe("Qolaba contract (client ⇄ Prism ⇄ sandbox)", () => {
  for (const kind of ["canny", "depth", "pose"] as const) {
    it(`queues a ${kind} ControlNet task and polls it to success`, async () => {
      const submitted = await client.imageToImage({
        kind,
        image: referenceImage,
        prompt: "a watercolour city at dusk",
        negativePrompt: "blurry",
        guidanceScale: 7.5,
        batch: 2,
        strength: 0.8,
        steps: 25,
        gpu: "a10g",
      });
      expect(submitted.taskId).toBeTruthy();
      expect(submitted.task.status).toBe("pending");
      const task = await finish(submitted.taskId!);
      expect(task.status).toBe("success");
      expect(task.urls).toHaveLength(2);
      const file = await fetch(task.urls[0]!);
      expect(file.headers.get("content-type")).toMatch(/^image\//);
    });
  }

  it("answers a synchronous call with its images", async () => {
    const submitted = await client.imageToImage({ kind: "depth", image: referenceImage, prompt: "marble statue", queued: false });
    expect(submitted.task.status).toBe("success");
    expect(submitted.task.urls.length).toBe(1);
  });

  it("reports NSFW images dropped from a success", async () => {
    const submitted = await client.imageToImage({ kind: "pose", image: referenceImage, prompt: "a dancer [sandbox:nsfw]", batch: 2 });
    const task = await finish(submitted.taskId!);
    expect(task.status).toBe("success");
    expect(task.nsfwDropped).toBe(1);
    expect(task.urls).toHaveLength(1);
  });

  it("runs text-to-image", async () => {
    const submitted = await client.textToImage({ appId: "ap-sdxl-text", prompt: "a red fox in snow", width: 768, height: 512 });
    const task = await finish(submitted.taskId!);
    expect(task.status).toBe("success");
  });

  it("reads a failed task from the contract's 500 body", async () => {
    const submitted = await client.imageToImage({ kind: "canny", image: referenceImage, prompt: "a bridge [sandbox:fail]" });
    const task = await finish(submitted.taskId!);
    expect(task.status).toBe("failed");
  });

  it("keeps an unknown task pending, as an expired one reads", async () => {
    expect((await client.getTask("task-that-never-existed")).status).toBe("pending");
  });
});

describe("invalid requests: Atelier's schema and Prism give the same verdict", () => {
  const invalid: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["guidance above 30", { kind: "canny", guidanceScale: 31 }, { guidance_scale: 31 }],
    ["guidance below 1", { kind: "canny", guidanceScale: 0.5 }, { guidance_scale: 0.5 }],
    ["a batch of 9", { kind: "canny", batch: 9 }, { batch: 9 }],
    ["strength of 0", { kind: "canny", strength: 0 }, { strength: 0 }],
    ["strength above 1", { kind: "canny", strength: 1.2 }, { strength: 1.2 }],
    ["51 steps", { kind: "canny", steps: 51 }, { num_inference_steps: 51 }],
    ["an unknown GPU", { kind: "canny", gpu: "t4" }, { inference_type: "t4" }],
    ["an image that is not a URL", { kind: "canny", image: "not a url" }, { image: "not a url" }],
  ];
  for (const [name, ours, wire] of invalid) {
    it(`refuses ${name}`, async () => {
      expect(imageToImageInputSchema.safeParse({ image: referenceImage, prompt: "x", ...ours }).success, "Atelier's schema refuses it").toBe(false);
      const response = await fetch(`${prism.url}/getImagetoImage`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ app_id: "ap-1us0FK21Ach6eiWxo22is8", image: referenceImage, prompt: "x", celery: true, ...wire }),
      });
      expect(response.status, "Prism refuses it").toBe(422);
    });
  }
});
