import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestSandbox, makePng, uploadAsset, type TestSandbox } from "./test-support";

let sb: TestSandbox;
beforeEach(async () => {
  sb = await createTestSandbox();
});
afterEach(() => sb.cleanup());

const create = (body: unknown, key = "key-a") => sb.call("POST", "/rendernet/pub/v1/generations", { key, body });
const image = (extra: Record<string, unknown> = {}) => ({
  model: "JuggernautXL",
  prompt: { positive: "a lighthouse at dusk", negative: "blur" },
  ...extra,
});

describe("keys", () => {
  it("refuses a missing or empty key with 401 and an ErrorEnvelope", async () => {
    for (const key of [null, ""]) {
      const response = await sb.call("GET", "/rendernet/pub/v1/models", { key });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ data: null, err: { code: "unauthorized" } });
    }
  });

  it("keeps each key's generations, credits and media apart", async () => {
    const made = await (await create([image()], "key-a")).json();
    const id = made.data.generation_id as string;
    expect((await sb.call("GET", `/rendernet/pub/v1/generations/${id}`, { key: "key-a" })).status).toBe(200);
    expect((await sb.call("GET", `/rendernet/pub/v1/generations/${id}`, { key: "key-b" })).status).toBe(404);
    expect((await sb.call("DELETE", `/rendernet/pub/v1/generations/${id}`, { key: "key-b" })).status).toBe(404);
    expect((await sb.call("GET", `/rendernet/pub/v1/generations/media/${made.data.media[0].id}`, { key: "key-b" })).status).toBe(404);
    const listB = await (await sb.call("GET", "/rendernet/pub/v1/generations", { key: "key-b" })).json();
    expect(listB.data).toEqual([]);
    const estimateB = await (await sb.call("POST", "/rendernet/pub/v1/generations/estimate", { key: "key-b", body: [image()] })).json();
    expect(estimateB.data.balance).toBe(500);
  });
});

describe("catalogues", () => {
  it("lists models with ids, base models and real thumbnails", async () => {
    const { data } = await (await sb.call("GET", "/rendernet/pub/v1/models")).json();
    const names = data.map((m: { name: string }) => m.name);
    expect(names).toEqual(expect.arrayContaining(["JuggernautXL", "RealVisXL", "DreamShaper", "Flux"]));
    expect(data.find((m: { name: string }) => m.name === "Flux").base_model).toBe("flux");
    const thumb = await sb.handler(new Request(data[0].thumbnail));
    expect(thumb.headers.get("content-type")).toBe("image/png");
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(192);
  });

  it("filters styles and controlnets by ?type=flux and paginates", async () => {
    const sd = (await (await sb.call("GET", "/rendernet/pub/v1/styles")).json()).data;
    const flux = (await (await sb.call("GET", "/rendernet/pub/v1/styles?type=flux")).json()).data;
    expect(sd.every((s: { base_model: string }) => s.base_model !== "flux")).toBe(true);
    expect(flux.every((s: { base_model: string }) => s.base_model === "flux")).toBe(true);
    const cn = (await (await sb.call("GET", "/rendernet/pub/v1/controlnets?type=flux")).json()).data;
    expect(cn.every((s: { base_model: string }) => s.base_model === "flux")).toBe(true);
    const page2 = (await (await sb.call("GET", "/rendernet/pub/v1/loras?page=2&page_size=2")).json()).data;
    expect(page2).toHaveLength(2);
    expect((await sb.call("GET", "/rendernet/pub/v1/loras?page_size=51")).status).toBe(400);
    const voices = (await (await sb.call("GET", "/rendernet/pub/v1/voices")).json()).data;
    expect(voices.map((v: { name: string }) => v.name)).toEqual(expect.arrayContaining(["Rachel", "Adam", "Bella"]));
  });

  it("lists system characters alongside the account's own, with pagination", async () => {
    const body = await (await sb.call("GET", "/rendernet/pub/v1/characters")).json();
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((c: { system_character: boolean }) => c.system_character)).toBe(true);
    expect(body.pagination).toEqual({ page: 1, page_size: 20, total: body.data.length });
  });

  it("answers 404 for unknown paths and 405 for wrong methods", async () => {
    expect((await sb.call("GET", "/rendernet/pub/v1/nothing")).status).toBe(404);
    const wrong = await sb.call("DELETE", "/rendernet/pub/v1/models");
    expect(wrong.status).toBe(405);
    expect((await wrong.json()).err.code).toBe("method_not_allowed");
    expect((await sb.call("GET", "/elsewhere")).status).toBe(404);
    expect((await sb.call("GET", "/__sandbox/calls")).status).toBe(200);
  });
});

describe("validation", () => {
  const cases: [string, unknown, string][] = [
    ["not an array", { model: "JuggernautXL" }, "body must be a JSON array"],
    ["empty array", [], "at least one"],
    ["no tool", [{ prompt: { positive: "x", negative: "" } }], "items[0] must carry one of"],
    ["cfg_scale", [image({ cfg_scale: 13 })], "items[0].cfg_scale must be between 4 and 12"],
    ["steps", [image({ steps: 5 })], "items[0].steps must be between 10 and 30"],
    ["aspect", [image({ aspect_ratio: "5:4" })], "items[0].aspect_ratio must be one of"],
    ["quality", [image({ quality: "plus" })], "items[0].quality must be one of: Plus, Regular"],
    ["sampler", [image({ sampler: "Euler" })], "items[0].sampler must be one of"],
    ["batch", [image({ batch_size: 5 })], "items[0].batch_size must be between 1 and 4 (the sandbox plan"],
    ["seed type", [image({ seed: "12" })], "items[0].seed must be an integer"],
    ["negative missing", [image({ prompt: { positive: "x" } })], "items[0].prompt.negative is required"],
    ["lora weight", [image({ loras: [{ name: "Pixel Art XL", weight: 2 }] })], "items[0].loras[0].weight must be between 0.1 and 1"],
    ["lora base", [image({ loras: [{ name: "Detail Tweaker", weight: 0.5 }] })], "must share the base model (sdxl)"],
    ["lora unknown", [image({ loras: [{ name: "Nope", weight: 0.5 }] })], 'items[0].loras[0].name "Nope" is not a known LoRA'],
    ["control_net fields", [image({ control_net: { asset_id: "ast_x", name: "Canny" } })], "items[0].control_net.control_mode is required"],
    ["control_net mode", [image({ control_net: { asset_id: "ast_x", name: "Canny", control_mode: 3, resize_mode: 0 } })], "items[0].control_net.control_mode must be one of 0, 1, 2"],
    ["character mode", [image({ character: { character_id: "chr_sys_alex" } })], "items[0].character.mode is required"],
    ["character braces", [image({ character: { character_id: "chr_sys_alex", mode: "balanced" } })], "must name the character in braces"],
    ["character unknown", [image({ character: { character_id: "chr_nope", mode: "balanced" } })], "is not a known character"],
    ["model unknown", [image({ model: "Juggernaut" })], 'items[0].model "Juggernaut" is not a known model'],
    ["style unknown", [{ style: "Vaporwave" }], 'items[0].style "Vaporwave" is not a known style'],
    ["flux style", [{ style_detail: { name: "Bokeh", base_model: "flux" } }], "is not a known flux style"],
    ["true_touch scale", [{ true_touch: { asset_id: "ast_x", enhance_strength: 0.5, scale_factor: 4 } }], "items[0].true_touch.scale_factor must be one of 1, 1.5, 2, 2.5, 3"],
    ["true_touch asset", [{ true_touch: { asset_id: "ast_x", enhance_strength: 0.5, scale_factor: 2 } }], 'items[0].true_touch.asset_id "ast_x" is not a known asset'],
    ["segment replace", [{ segment: { asset_id: "ast_x", find: "shirt" } }], "items[0].segment.replace is required"],
    ["narrator video", [{ narrator: { script: "hi", voice: "Rachel" } }], "items[0].narrator.video_asset_id is required"],
    ["video_anyone prompt", [{ video_anyone: { media_id: "ast_x", prompt: "x".repeat(501) } }], "items[0].video_anyone.prompt must be at most 500 characters"],
    ["video_anyone duration", [{ video_anyone: { media_id: "ast_x", duration: 7 } }], "items[0].video_anyone.duration must be one of 5, 10"],
    ["second item", [image(), image({ cfg_scale: 2 })], "items[1].cfg_scale must be between 4 and 12"],
  ];
  it.each(cases)("%s", async (_name, body, message) => {
    const response = await create(body);
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.data).toBeNull();
    expect(json.err.code).toBe("invalid_request");
    expect(json.err.message).toContain(message);
  });

  it("applies the tool priority: segment wins and ignores every other field", async () => {
    const response = await create([{ segment: { asset_id: "ast_x", find: "a", replace: "b" }, model: "Nope", cfg_scale: 99 }]);
    expect((await response.json()).err.message).toContain("items[0].segment.asset_id");
  });

  it("lets Flux ignore fields outside its set, and control_net modes", async () => {
    const ok = await create([{ model: "Flux", cfg_scale: 99, loras: [{ name: "x", weight: 5 }], sampler: "?", prompt: { positive: "p", negative: "" } }]);
    expect(ok.status).toBe(201);
  });

  it("charges nothing for an invalid body (all-or-nothing)", async () => {
    await create([image(), image({ steps: 1 })]);
    const estimate = await (await sb.call("POST", "/rendernet/pub/v1/generations/estimate", { body: [image()] })).json();
    expect(estimate.data.balance).toBe(500);
    expect((await (await sb.call("GET", "/rendernet/pub/v1/generations")).json()).data).toEqual([]);
  });
});

describe("generations", () => {
  it("answers 201 in the spec's shape and walks initiated -> pending -> success, across a restart", async () => {
    const response = await create([image({ aspect_ratio: "2:3", batch_size: 2, seed: 7 })]);
    expect(response.status).toBe(201);
    const { data, err } = await response.json();
    expect(err).toEqual({});
    expect(data).toMatchObject({ result: "initiated", credits_remaining: 496 });
    expect(data.generation_id).toMatch(/^gen_/);
    expect(data.media).toHaveLength(2);
    expect(data.media[0]).toMatchObject({ status: "initiated", type: "image", dim: { width: 832, height: 1248 }, model: "JuggernautXL" });

    const read = async () => (await (await sb.call("GET", `/rendernet/pub/v1/generations/${data.generation_id}`)).json()).data;
    expect((await read()).media[0].status).toBe("initiated");
    expect((await read()).media[0].url).toBeUndefined();
    sb.advance(1500);
    expect((await read()).media[0].status).toBe("pending");
    sb.restart();
    sb.advance(3000);
    const done = await read();
    expect(done.created_at).toBe(Math.floor(1_700_000_000_000 / 1000));
    expect(done.media.map((m: { status: string }) => m.status)).toEqual(["success", "success"]);
    const file = await sb.handler(new Request(done.media[0].url));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([832, 1248]);
    const media = await (await sb.call("GET", `/rendernet/pub/v1/generations/media/${done.media[1].id}`)).json();
    expect(media.data).toMatchObject({ status: "success", seed: 8 });
  });

  it("draws the same bytes for the same body and seed, and SD 1.5 at about half size", async () => {
    const bodies = [image({ seed: 99, aspect_ratio: "16:9" }), image({ seed: 99, aspect_ratio: "16:9" }), image({ model: "DreamShaper", seed: 99, aspect_ratio: "16:9" })];
    const ids: string[] = [];
    for (const body of bodies) ids.push((await (await create([body])).json()).data.generation_id);
    sb.advance(5000);
    const files: Buffer[] = [];
    for (const id of ids) {
      const generation = (await (await sb.call("GET", `/rendernet/pub/v1/generations/${id}`)).json()).data;
      files.push(Buffer.from(await (await sb.handler(new Request(generation.media[0].url))).arrayBuffer()));
    }
    expect(files[0]!.equals(files[1]!)).toBe(true);
    expect((await sharp(files[0]!).metadata()).width).toBe(1344);
    expect((await sharp(files[2]!).metadata()).width).toBe(768);
  });

  it("fails and censors on trigger words, with an empty url", async () => {
    const fail = (await (await create([image({ prompt: { positive: "boom [sandbox:fail]", negative: "" } })])).json()).data;
    const censor = (await (await create([image({ prompt: { positive: "[sandbox:censor] hm", negative: "" } })])).json()).data;
    sb.advance(5000);
    const failed = (await (await sb.call("GET", `/rendernet/pub/v1/generations/${fail.generation_id}`)).json()).data.media[0];
    const censored = (await (await sb.call("GET", `/rendernet/pub/v1/generations/${censor.generation_id}`)).json()).data.media[0];
    expect(failed).toMatchObject({ status: "failed", url: "" });
    expect(censored).toMatchObject({ status: "censored", url: "" });
    const list = await (await sb.call("GET", "/rendernet/pub/v1/generations?status=failed")).json();
    expect(list.data).toHaveLength(2);
    expect((await (await sb.call("GET", "/rendernet/pub/v1/generations?status=success")).json()).data).toHaveLength(0);
  });

  it("lists newest first with filters and pagination, and deletes", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await (await create([image()])).json()).data.generation_id);
      sb.advance(1000);
    }
    const list = await (await sb.call("GET", "/rendernet/pub/v1/generations?page_size=2")).json();
    expect(list.data.map((g: { generation_id: string }) => g.generation_id)).toEqual([ids[2], ids[1]]);
    expect(list.pagination).toEqual({ page: 1, page_size: 2, total: 3 });
    const one = await (await sb.call("GET", `/rendernet/pub/v1/generations?generation_id=${ids[0]}`)).json();
    expect(one.data).toHaveLength(1);
    const del = await sb.call("DELETE", `/rendernet/pub/v1/generations/${ids[0]}`);
    expect(await del.json()).toEqual({ data: { id: ids[0] }, err: {} });
    expect((await sb.call("GET", `/rendernet/pub/v1/generations/${ids[0]}`)).status).toBe(404);
  });

  it("answers several items with one generation each (first in data, all in data.generations)", async () => {
    const { data } = await (await create([image(), image({ model: "DreamShaper" })])).json();
    expect(data.generations).toHaveLength(2);
    expect(data.generations[0].generation_id).toBe(data.generation_id);
    expect(data.generations[1].media[0].dim).toEqual({ width: 512, height: 512 });
  });
});

describe("credits", () => {
  it("charges the estimate and refuses with 402 when short, charging nothing", async () => {
    const body = [image({ batch_size: 2, quality: "Plus" }), { model: "Flux", prompt: { positive: "x", negative: "" } }];
    const estimate = await (await sb.call("POST", "/rendernet/pub/v1/generations/estimate", { body })).json();
    expect(estimate).toEqual({ data: { estimated: 10, balance: 500 }, error: {} });
    const made = await (await create(body)).json();
    expect(made.data.credits_remaining).toBe(490);
    await sb.call("POST", "/__sandbox/credits", { body: { balance: 9 } });
    const refused = await create(body);
    expect(refused.status).toBe(402);
    const json = await refused.json();
    expect(json.err.code).toBe("insufficient_credits");
    expect(json.err.message).toContain("costs 10 credits and the balance is 9");
    expect((await (await sb.call("POST", "/rendernet/pub/v1/generations/estimate", { body })).json()).data.balance).toBe(9);
  });

  it("answers estimate errors under `error`", async () => {
    const response = await sb.call("POST", "/rendernet/pub/v1/generations/estimate", { body: [image({ cfg_scale: 1 })] });
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.data).toBeNull();
    expect(json.error.message).toContain("items[0].cfg_scale");
  });
});

describe("image inputs", () => {
  it("true_touch upscales, segment keeps size, Flux ControlNet takes the reference's aspect ratio", async () => {
    const asset = await uploadAsset(sb, "image", await makePng(300, 200));
    const touch = (await (await create([{ true_touch: { asset_id: asset, enhance_strength: 0.4, scale_factor: 1.5 } }])).json()).data;
    expect(touch.media[0].dim).toEqual({ width: 450, height: 300 });
    const seg = (await (await create([{ segment: { asset_id: asset, find: "circle", replace: "a red star" } }])).json()).data;
    const cn = (await (await create([{ model: "Flux", prompt: { positive: "p", negative: "" }, aspect_ratio: "9:16", control_net: { asset_id: asset, name: "Canny" } }])).json()).data;
    expect(cn.media[0].dim.width / cn.media[0].dim.height).toBeCloseTo(1.5, 1);
    const sdxlCn = await create([image({ control_net: { asset_id: asset, name: "Lineart", control_mode: 0, resize_mode: 0 } })]);
    expect((await sdxlCn.json()).err.message).toContain("must share the base model (sdxl)");
    sb.advance(5000);
    for (const [generation, size] of [[touch, [450, 300]], [seg, [300, 200]]] as const) {
      const media = (await (await sb.call("GET", `/rendernet/pub/v1/generations/${generation.generation_id}`)).json()).data.media[0];
      const meta = await sharp(Buffer.from(await (await sb.handler(new Request(media.url))).arrayBuffer())).metadata();
      expect([meta.width, meta.height]).toEqual(size);
    }
  });
});
