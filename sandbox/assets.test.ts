import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { probeMp4 } from "./probe";
import { createTestSandbox, makeMp3, makeMp4, makePng, uploadAsset, type TestSandbox } from "./test-support";

let sb: TestSandbox;
beforeEach(async () => {
  sb = await createTestSandbox();
});
afterEach(() => sb.cleanup());

const getAsset = async (id: string) => (await (await sb.call("GET", `/rendernet/pub/v2/assets/${id}`)).json()).data;
const readGeneration = async (id: string) => (await (await sb.call("GET", `/rendernet/pub/v1/generations/${id}`)).json()).data;

describe("presigned uploads", () => {
  it("v1: creates a pending image asset with an absolute one-time upload URL", async () => {
    const response = await sb.call("POST", "/rendernet/pub/v1/assets/upload", { body: { size: { width: 64, height: 48 } } });
    expect(response.status).toBe(201);
    const { data, err } = await response.json();
    expect(err).toEqual({});
    expect(data.asset).toMatchObject({ type: "image", status: "pending", data: { size: { width: 64, height: 48 } } });
    expect(data.upload_url).toMatch(/^http:\/\/sandbox\.test\/rendernet\/uploads\/[\w-]+$/);
    const put = await sb.handler(new Request(data.upload_url, { method: "PUT", body: new Uint8Array(await makePng(64, 48)) }));
    expect(put.status).toBe(200);
    expect((await getAsset(data.asset.id)).status).toBe("pending");
    sb.advance(1000);
    const active = await getAsset(data.asset.id);
    expect(active).toMatchObject({ status: "active", size: { width: 64, height: 48 } });
    const file = await sb.handler(new Request(active.url));
    expect(file.headers.get("content-type")).toBe("image/png");
    const again = await sb.handler(new Request(data.upload_url, { method: "PUT", body: "x" }));
    expect(again.status).toBe(403);
  });

  it("v2: probes a real MP4 and MP3, fails a lying file, and validates the body", async () => {
    const mp4 = await uploadAsset(sb, "video", await makeMp4(96, 160, 24, 12));
    expect(await getAsset(mp4)).toMatchObject({ type: "video", status: "active", size: { width: 96, height: 160 }, duration: 2, frames: 24 });
    const mp3 = await uploadAsset(sb, "audio", makeMp3());
    const audio = await getAsset(mp3);
    expect(audio).toMatchObject({ type: "audio", status: "active" });
    expect(audio.duration).toBeGreaterThan(0);
    const liar = await uploadAsset(sb, "video", await makePng(32, 32));
    const failed = await getAsset(liar);
    expect(failed.status).toBe("failed");
    expect(failed.url).toBeUndefined();
    const list = await (await sb.call("GET", "/rendernet/pub/v2/assets?type=video")).json();
    expect(list.data.map((a: { id: string }) => a.id)).toEqual([liar, mp4]);
    expect(list.pagination.total).toBe(2);
    const bad = await sb.call("POST", "/rendernet/pub/v2/assets/upload?type=image", { body: {} });
    expect(bad.status).toBe(400);
    expect((await bad.json()).err.message).toContain("size is required");
    expect((await sb.call("GET", `/rendernet/pub/v2/assets/${mp4}`, { key: "key-b" })).status).toBe(404);
  });

  it("refuses generations on a pending or failed asset with a 400", async () => {
    const created = await (await sb.call("POST", "/rendernet/pub/v2/assets/upload", { body: { size: { width: 10, height: 10 } } })).json();
    const response = await sb.call("POST", "/rendernet/pub/v1/generations", { body: [{ true_touch: { asset_id: created.data.id, enhance_strength: 0.5, scale_factor: 2 } }] });
    expect(response.status).toBe(400);
    expect((await response.json()).err.message).toContain("asset status pending");
  });
});

describe("video", () => {
  it("video_anyone: a 3:5 image makes a real MP4 of the duration; a 1:1 image fails the media", async () => {
    const tall = await uploadAsset(sb, "image", await makePng(300, 500));
    const square = await uploadAsset(sb, "image", await makePng(300, 300));
    const create = (media_id: string) => sb.call("POST", "/rendernet/pub/v1/generations", { body: [{ video_anyone: { media_id, prompt: "slow pan", duration: 5 } }] });
    const ok = (await (await create(tall)).json()).data;
    const bad = (await (await create(square)).json()).data;
    expect(ok.media[0]).toMatchObject({ type: "video", dim: { width: 360, height: 600 } });
    sb.advance(5000);
    expect((await readGeneration(ok.generation_id)).media[0].status).toBe("pending");
    sb.advance(6000);
    const done = (await readGeneration(ok.generation_id)).media[0];
    expect(done.status).toBe("success");
    expect((await readGeneration(bad.generation_id)).media[0]).toMatchObject({ status: "failed", url: "" });
    const file = await sb.handler(new Request(done.url));
    expect(file.headers.get("content-type")).toBe("video/mp4");
    const info = probeMp4(new Uint8Array(await file.arrayBuffer()));
    expect(info).toMatchObject({ width: 360, height: 600, frames: 60 });
    expect(info!.duration).toBeCloseTo(5, 1);
  });

  it("video_anyone accepts a generated image's media id", async () => {
    const made = (await (await sb.call("POST", "/rendernet/pub/v1/generations", { body: [{ model: "DreamShaper", aspect_ratio: "1:1", prompt: { positive: "p", negative: "" } }] })).json()).data;
    const early = await sb.call("POST", "/rendernet/pub/v1/generations", { body: [{ video_anyone: { media_id: made.media[0].id } }] });
    expect((await early.json()).err.message).toContain("is not a successfully generated image");
    sb.advance(5000);
    const late = await sb.call("POST", "/rendernet/pub/v1/generations", { body: [{ video_anyone: { media_id: made.media[0].id } }] });
    expect(late.status).toBe(201);
  });

  it("narrator: a 60 fps video fails the media, a 12 fps one succeeds; script+voice or audio required", async () => {
    const fast = await uploadAsset(sb, "video", await makeMp4(64, 64, 30, 60));
    const fine = await uploadAsset(sb, "video", await makeMp4(320, 180, 12, 12));
    const audio = await uploadAsset(sb, "audio", makeMp3());
    const post = (narrator: object) => sb.call("POST", "/rendernet/pub/v1/generations", { body: [{ narrator }] });
    const missing = await post({ video_asset_id: fine, script: "hello" });
    expect((await missing.json()).err.message).toContain("items[0].narrator.voice is required");
    const badVoice = await post({ video_asset_id: fine, script: "hello", voice: "Zed" });
    expect((await badVoice.json()).err.message).toContain('"Zed" is not a known voice');
    const failed = (await (await post({ video_asset_id: fast, script: "hello there", voice: "Rachel" })).json()).data;
    const ok = (await (await post({ video_asset_id: fine, script: "thank you for trying narrator", voice: "Adam" })).json()).data;
    const withAudio = await post({ video_asset_id: fine, audio_asset_id: audio });
    expect(withAudio.status).toBe(201);
    expect(ok.media[0].dim).toEqual({ width: 320, height: 180 });
    sb.advance(11_000);
    expect((await readGeneration(failed.generation_id)).media[0].status).toBe("failed");
    const done = (await readGeneration(ok.generation_id)).media[0];
    expect(done.status).toBe("success");
    const info = probeMp4(new Uint8Array(await (await sb.handler(new Request(done.url))).arrayBuffer()));
    expect(info).toMatchObject({ width: 320, height: 180 });
  });
});

describe("characters", () => {
  it("creates from an active image asset, refuses duplicate names, edits own only, and is usable in prompts", async () => {
    const asset = await uploadAsset(sb, "image", await makePng(128, 128));
    const body = { asset_id: asset, character_type: "realistic", name: "Robin", prompt: "a hiker" };
    const created = await sb.call("POST", "/rendernet/pub/v1/characters", { body });
    expect(created.status).toBe(201);
    const character = (await created.json()).data;
    expect(character).toMatchObject({ name: "Robin", system_character: false });
    expect(character.input_image).toMatch(/^http:\/\/sandbox\.test\/rendernet\/files\//);
    const dup = await sb.call("POST", "/rendernet/pub/v1/characters", { body: { ...body, name: "robin" } });
    expect(dup.status).toBe(409);
    expect((await dup.json()).err.code).toBe("conflict");
    const edit = await sb.call("PUT", `/rendernet/pub/v1/characters/${character.id}`, { body: { asset_id: asset, character_type: "stylized", prompt: "a painter" } });
    expect((await edit.json()).data).toMatchObject({ character_type: "stylized", prompt: "a painter" });
    expect((await sb.call("PUT", `/rendernet/pub/v1/characters/${character.id}`, { key: "key-b", body: { asset_id: asset, character_type: "stylized", prompt: "x" } })).status).toBe(404);
    expect((await sb.call("PUT", "/rendernet/pub/v1/characters/chr_sys_alex", { body: { asset_id: asset, character_type: "stylized", prompt: "x" } })).status).toBe(403);
    const list = (await (await sb.call("GET", "/rendernet/pub/v1/characters")).json()).data;
    expect(list.some((c: { id: string }) => c.id === character.id)).toBe(true);
    expect((await (await sb.call("GET", "/rendernet/pub/v1/characters", { key: "key-b" })).json()).data.some((c: { id: string }) => c.id === character.id)).toBe(false);
    const generation = await sb.call("POST", "/rendernet/pub/v1/generations", {
      body: [{ model: "RealVisXL", character: { character_id: character.id, mode: "strong" }, prompt: { positive: "{Robin} on a trek", negative: "" } }],
    });
    expect(generation.status).toBe(201);
  });

  it("PUT /pub/v1/characters/{id} follows EditCharacter: asset_id, character_type and prompt required; the name stays", async () => {
    const face = await uploadAsset(sb, "image", await makePng(128, 128));
    const other = await uploadAsset(sb, "image", await makePng(96, 96, "#cc3366"));
    const video = await uploadAsset(sb, "video", await makeMp4(64, 48, 4, 12));
    const created = (await (await sb.call("POST", "/rendernet/pub/v1/characters", { body: { asset_id: face, character_type: "realistic", name: "Kim", prompt: "a cook" } })).json()).data;
    const put = (body: unknown) => sb.call("PUT", `/rendernet/pub/v1/characters/${created.id}`, { body });

    for (const [body, message] of [
      [{ character_type: "stylized", prompt: "x" }, "asset_id is required"],
      [{ asset_id: face, prompt: "x" }, "character_type is required"],
      [{ asset_id: face, character_type: "anime", prompt: "x" }, "character_type must be one of: realistic, stylized"],
      [{ asset_id: face, character_type: "stylized" }, "prompt is required"],
      [{ asset_id: video, character_type: "stylized", prompt: "x" }, "an image asset is required"],
      [{ asset_id: "ast_missing", character_type: "stylized", prompt: "x" }, "is not a known asset"],
    ] as const) {
      const refused = await put(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect((await refused.json()).err.message).toContain(message);
    }
    expect((await sb.call("PUT", "/rendernet/pub/v1/characters/chr_missing", { body: { asset_id: face, character_type: "stylized", prompt: "x" } })).status).toBe(404);

    // A name in the body is not part of EditCharacter: the character keeps its name.
    const edited = await put({ asset_id: other, character_type: "stylized", prompt: "a cook, ink drawing", name: "Renamed" });
    expect(edited.status).toBe(200);
    const data = (await edited.json()).data;
    expect(data).toMatchObject({ id: created.id, name: "Kim", character_type: "stylized", prompt: "a cook, ink drawing", system_character: false });
    // The character's image is its asset's URL, as GET /pub/v2/assets lists it (Atelier finds the current asset so).
    expect(data.input_image).not.toBe(created.input_image);
    const assets = (await (await sb.call("GET", "/rendernet/pub/v2/assets?type=image")).json()).data as { id: string; url: string }[];
    expect(assets.find((a) => a.url === data.input_image)?.id).toBe(other);
    const listed = (await (await sb.call("GET", "/rendernet/pub/v1/characters")).json()).data.find((c: { id: string }) => c.id === created.id);
    expect(listed).toMatchObject({ name: "Kim", character_type: "stylized", prompt: "a cook, ink drawing", input_image: data.input_image });
  });
});
