import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRenderNetClient, type RenderNetClient } from "@/lib/providers/rendernet/client";
import { checkGenerationItems, type GenerationItemInput } from "@/lib/providers/rendernet/request-schemas";
import type { RenderNetGeneration } from "@/lib/providers/rendernet/response-schemas";
import { recordingFetch, RENDERNET_SPEC, startPrism, startTestSandbox } from "./processes";
import { makeMp3, makeMp4, makePng } from "./fixtures";

/**
 * Atelier's RenderNet client against the sandbox, with Prism validating both directions against the published
 * spec. A request or response that breaks the contract comes back as Prism's problem+json and fails the test.
 */

let sandbox: { url: string; close: () => Promise<void> };
let prism: { url: string; close: () => Promise<void> };
const recorder = recordingFetch();
let client: RenderNetClient;
const apiKey = `contract-${randomUUID()}`;
/** Every generation id this run has seen, as Atelier's database would know them. */
const tracked = new Set<string>();

beforeAll(async () => {
  sandbox = await startTestSandbox("contract");
  prism = await startPrism(RENDERNET_SPEC, `${sandbox.url}/rendernet`);
  client = createRenderNetClient({
    apiKey,
    baseUrl: prism.url,
    fetch: recorder.fetch,
    assetPoll: { deadlineMs: 20_000, initialDelayMs: 50, maxDelayMs: 300 },
  });
}, 60_000);

afterAll(async () => {
  await prism?.close();
  await sandbox?.close();
});

afterEach(() => {
  // Every exchange of every test must have passed Prism's validation in both directions.
  expect(recorder.violations()).toEqual([]);
});

async function settle(generationId: string): Promise<RenderNetGeneration> {
  let generation = await client.getGeneration(generationId);
  const finished = (media: RenderNetGeneration["media"]) => media.length > 0 && media.every((m) => m.status !== "pending");
  await expect
    .poll(async () => (generation = await client.getGeneration(generationId)).media, { timeout: 20_000, interval: 150, message: `generation ${generationId} did not finish` })
    .toSatisfy(finished);
  return generation;
}

async function expectFile(url: string | undefined, type: "image" | "video") {
  expect(url, "a successful media item has a URL").toBeTruthy();
  const response = await fetch(url!);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(type === "image" ? /^image\// : /^video\/mp4/);
  expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
}

describe("RenderNet contract (client ⇄ Prism ⇄ sandbox)", () => {
  const ctx = {} as {
    sdxlModel: string;
    sdxlLora: string;
    sdxlControlNet: string;
    fluxControlNet: string;
    voice: string;
    image: string;
    face: string;
    tall: string;
    video: string;
    audio: string;
    character: { id: string; name: string };
  };

  it("lists every catalogue", async () => {
    const [models, styles, fluxStyles, loras, controlNets, fluxControlNets, voices, characters] = await Promise.all([
      client.listModels(),
      client.listStyles(),
      client.listStyles({ flux: true }),
      client.listLoras(),
      client.listControlNets(),
      client.listControlNets({ flux: true }),
      client.listVoices(),
      client.listCharacters(),
    ]);
    const sdxl = (base?: string) => base?.toLowerCase().includes("xl") ?? false;
    expect(models.some((m) => m.name === "Flux")).toBe(true);
    expect(styles.length).toBeGreaterThan(0);
    expect(fluxStyles.every((s) => s.baseModel?.toLowerCase() === "flux")).toBe(true);
    expect(characters.some((c) => c.systemCharacter)).toBe(true);
    ctx.sdxlModel = models.find((m) => sdxl(m.baseModel))?.name ?? models.find((m) => m.name !== "Flux")!.name;
    ctx.sdxlLora = loras.find((l) => sdxl(l.baseModel))!.name;
    ctx.sdxlControlNet = controlNets.find((c) => sdxl(c.baseModel))!.name;
    ctx.fluxControlNet = fluxControlNets[0]!.name;
    ctx.voice = voices[0]!.name;
  });

  it("uploads image, video and audio assets through the presigned flow and reads them back", async () => {
    const [image, tall, video, audio] = await Promise.all([
      client.uploadAsset({ type: "image", bytes: await makePng(1024, 1024), contentType: "image/png", size: { width: 1024, height: 1024 } }),
      client.uploadAsset({ type: "image", bytes: await makePng(600, 1000), contentType: "image/png", size: { width: 600, height: 1000 } }),
      client.uploadAsset({ type: "video", bytes: await makeMp4(320, 480, 24, 36), contentType: "video/mp4", size: { width: 320, height: 480 } }),
      client.uploadAsset({ type: "audio", bytes: makeMp3(), contentType: "audio/mpeg", size: { width: 0, height: 0 } }),
    ]);
    for (const asset of [image, tall, video, audio]) expect(asset.status).toBe("active");
    ctx.image = image.id;
    ctx.tall = tall.id;
    ctx.video = video.id;
    ctx.audio = audio.id;
    const face = await client.uploadAsset({ type: "image", bytes: await makePng(512, 512), contentType: "image/png", size: { width: 512, height: 512 } });
    ctx.face = face.id;
    expect((await client.getAsset(video.id)).type).toBe("video");
    expect((await client.listAssets({ type: "image" })).map((a) => a.id)).toEqual(expect.arrayContaining([image.id, tall.id, face.id]));
  });

  it("creates and edits a character", async () => {
    const name = `Alex${randomUUID().slice(0, 6)}`;
    const created = await client.createCharacter({ assetId: ctx.face, characterType: "realistic", name, prompt: "a hiker with a red scarf" });
    expect(created.name).toBe(name);
    const edited = await client.editCharacter(created.id, { assetId: ctx.face, characterType: "stylized", prompt: "a hiker, watercolour" });
    expect(edited.id).toBe(created.id);
    // The edit keeps the name (EditCharacter has none) and the list, read through Prism, shows the change.
    expect(edited).toMatchObject({ name, characterType: "stylized", prompt: "a hiker, watercolour" });
    const listed = (await client.listCharacters()).find((c) => c.id === created.id);
    expect(listed).toMatchObject({ name, characterType: "stylized", prompt: "a hiker, watercolour", systemCharacter: false });
    expect(listed?.inputImage).toBe(edited.inputImage);
    ctx.character = { id: created.id, name };
  });

  const cases: [string, () => GenerationItemInput, "image" | "video"][] = [
    [
      "SDXL text-to-image with LoRAs, ControlNet, face lock and a character",
      () => ({
        model: ctx.sdxlModel,
        prompt: { positive: `{${ctx.character.name}} on a mountain trek at dawn`, negative: "blurry" },
        aspect_ratio: "3:2",
        batch_size: 2,
        cfg_scale: 7,
        steps: 20,
        sampler: "DPM++ 2M Karras",
        quality: "Plus",
        seed: 1234,
        loras: [{ name: ctx.sdxlLora, weight: 0.6 }],
        control_net: { asset_id: ctx.image, name: ctx.sdxlControlNet, control_mode: 1, resize_mode: 0 },
        facelock: { asset_id: ctx.face },
        character: { character_id: ctx.character.id, mode: "balanced" },
      }),
      "image",
    ],
    [
      "Flux text-to-image with ControlNet, face lock and a character",
      () => ({
        model: "Flux",
        prompt: { positive: `{${ctx.character.name}} reading in a sunlit library`, negative: "" },
        aspect_ratio: "1:1",
        batch_size: 1,
        seed: 99,
        control_net: { asset_id: ctx.image, name: ctx.fluxControlNet, control_mode: 0, resize_mode: 0 },
        facelock: { asset_id: ctx.face },
        character: { character_id: ctx.character.id, mode: "strong" },
      }),
      "image",
    ],
    ["segment (find and replace)", () => ({ segment: { asset_id: ctx.image, find: "the yellow circle", replace: "a golden sun" } }), "image"],
    ["true_touch (enhance and upscale)", () => ({ true_touch: { asset_id: ctx.image, enhance_strength: 0.5, scale_factor: 1.5 } }), "image"],
    ["narrator with a script", () => ({ narrator: { video_asset_id: ctx.video, script: "Welcome to Atelier.", voice: ctx.voice } }), "video"],
    ["narrator with audio and a face", () => ({ narrator: { video_asset_id: ctx.video, audio_asset_id: ctx.audio, image_asset_id: ctx.face } }), "video"],
    ["video_anyone (image to video)", () => ({ video_anyone: { media_id: ctx.tall, prompt: "slow push in, leaves drifting", duration: 5 } }), "video"],
  ];

  for (const [name, build, type] of cases) {
    it(`estimates, creates and tracks: ${name}`, async () => {
      const items = [build()];
      const estimate = await client.estimate(items);
      expect(estimate.estimated).toBeGreaterThan(0);
      const created = await client.createGenerations(items);
      expect(created.incomplete).toBe(false);
      const generationId = created.generations[0]!.generationId;
      tracked.add(generationId);
      const done = await settle(generationId);
      expect(done.media.every((m) => m.status === "success")).toBe(true);
      for (const media of done.media) await expectFile(media.url, type);
      const one = await client.getMedia(done.media[0]!.id);
      expect(one.id).toBe(done.media[0]!.id);
      const listed = await client.listGenerations({ generationId });
      expect(listed.generations.map((g) => g.generationId)).toContain(generationId);
    });
  }

  it("reconciles a multi-item create whose answer describes fewer generations, then filters and deletes", async () => {
    // The contract's create response describes one generation, though the body is an array. Atelier sends one item
    // per request; when it does not, the client flags the answer incomplete and the rest is found in the feed.
    const items: GenerationItemInput[] = [
      { model: ctx.sdxlModel, prompt: { positive: "a lighthouse in fog", negative: "" }, aspect_ratio: "16:9", batch_size: 1 },
      { true_touch: { asset_id: ctx.image, enhance_strength: 0.2, scale_factor: 2 } },
    ];
    const created = await client.createGenerations(items);
    const known = created.generations.map((g) => g.generationId);
    known.forEach((id) => tracked.add(id));
    let all = known;
    if (created.incomplete) {
      // The answer lists generations in item order: reconcile the items it did not cover, skipping known ids.
      const missing = items.slice(known.length);
      const found = await client.findLostGenerations({ sentAt: created.sentAt, items: missing, excludeGenerationIds: tracked });
      expect(found).toHaveLength(missing.length);
      all = [...known, ...found.map((f) => f.generation.generationId)];
    }
    expect(new Set(all).size).toBe(2);
    for (const id of all) await settle(id);
    const successes = await client.listGenerations({ status: "success", page: 1, pageSize: 50 });
    expect(successes.generations.map((g) => g.generationId)).toEqual(expect.arrayContaining(all));
    const first = await client.getGeneration(all[0]!);
    const mediaId = first.media[0]!.id;
    expect((await client.listGenerations({ mediaId })).generations[0]?.generationId).toBe(all[0]);
    const deleted = await client.deleteGeneration(all[1]!);
    expect(deleted.id).toBe(all[1]);
    await expect(client.getGeneration(all[1]!)).rejects.toMatchObject({ cause: "not_found" });
  });

  it("reports errors through the contract's envelope", async () => {
    await expect(client.getMedia("med_does_not_exist")).rejects.toMatchObject({ cause: "not_found" });
    await expect(client.getGeneration("gen_does_not_exist")).rejects.toMatchObject({ cause: "not_found" });
    expect(() => createRenderNetClient({ apiKey: " ", baseUrl: prism.url })).toThrow(/No RenderNet API key/);
  });
});

describe("invalid requests: Atelier's schemas and Prism give the same verdict", () => {
  const valid = { model: "JuggernautXL", prompt: { positive: "a cat", negative: "" } };
  const invalid: [string, unknown][] = [
    ["an empty array", []],
    ["cfg_scale above 12", [{ ...valid, cfg_scale: 13 }]],
    ["cfg_scale below 4", [{ ...valid, cfg_scale: 3 }]],
    ["steps above 30", [{ ...valid, steps: 31 }]],
    ["steps below 10", [{ ...valid, steps: 9 }]],
    ["an unknown aspect ratio", [{ ...valid, aspect_ratio: "5:4" }]],
    ["an unknown sampler", [{ ...valid, sampler: "Euler" }]],
    ["an unknown quality", [{ ...valid, quality: "Ultra" }]],
    ["a prompt without a negative", [{ model: "JuggernautXL", prompt: { positive: "a cat" } }]],
    ["a LoRA weight above 1", [{ ...valid, loras: [{ name: "x", weight: 1.5 }] }]],
    ["a LoRA without a weight", [{ ...valid, loras: [{ name: "x" }] }]],
    ["a character without a mode", [{ ...valid, character: { character_id: "chr_1" } }]],
    ["a character with an unknown mode", [{ ...valid, character: { character_id: "chr_1", mode: "loose" } }]],
    ["a ControlNet without resize_mode", [{ ...valid, control_net: { asset_id: "a", name: "Canny", control_mode: 0 } }]],
    ["a ControlNet control_mode of 3", [{ ...valid, control_net: { asset_id: "a", name: "Canny", control_mode: 3, resize_mode: 0 } }]],
    ["a face lock without an asset", [{ ...valid, facelock: {} }]],
    ["a segment without replace", [{ segment: { asset_id: "a", find: "hat" } }]],
    ["a true_touch scale factor of 4", [{ true_touch: { asset_id: "a", enhance_strength: 0.5, scale_factor: 4 } }]],
    ["a true_touch without enhance_strength", [{ true_touch: { asset_id: "a", scale_factor: 2 } }]],
    ["a narrator without a video", [{ narrator: { script: "hi", voice: "Rachel" } }]],
    ["a video_anyone duration of 7", [{ video_anyone: { media_id: "m", duration: 7 } }]],
    ["a video_anyone without media", [{ video_anyone: { prompt: "go" } }]],
    ["a non-integer batch size", [{ ...valid, batch_size: 1.5 }]],
  ];

  for (const [name, body] of invalid) {
    it(`refuses ${name}`, async () => {
      expect(checkGenerationItems(body).success, "Atelier's schema refuses it").toBe(false);
      const response = await fetch(`${prism.url}/pub/v1/generations`, {
        method: "POST",
        headers: { "X-API-KEY": apiKey, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status, "Prism refuses it").toBe(422);
      const problem = (await response.json()) as { validation?: unknown[] };
      expect(problem.validation?.length).toBeGreaterThan(0);
    });
  }

  it("accepts what both accept", async () => {
    const body = [{ ...valid, cfg_scale: 4, steps: 30, aspect_ratio: "9:16", batch_size: 1 }];
    expect(checkGenerationItems(body).success).toBe(true);
    const response = await fetch(`${prism.url}/pub/v1/generations/estimate`, {
      method: "POST",
      headers: { "X-API-KEY": apiKey, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  });
});
