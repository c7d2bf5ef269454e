import { describe, expect, it } from "vitest";
import {
  assetSchema,
  createGenerationsResponseSchema,
  dataResponseSchema,
  estimateResponseSchema,
  generationSchema,
  listResponseSchema,
  mediaSchema,
  normalizeMediaStatus,
  parseUploadResponse,
  readErrorMessage,
  resourceSchema,
} from "@/lib/providers/rendernet/response-schemas";

// The seed example (seeds/rendernet-generate-media-example.txt), verbatim.
const seedCreate = {
  data: {
    credits_remaining: 20,
    generation_id: "gen_01",
    media: [
      {
        id: "model_01",
        dim: { height: 512, width: 512 },
        model: "JuggernautXL",
        status: "initiated",
        style: "Bokeh",
        style_detail: { name: "Black & White", base_model: "flux" },
        type: "image",
      },
    ],
    result: "initiated",
  },
  err: {},
};

describe("create response", () => {
  it("reads the seed example: data is one object → an array of one", () => {
    const result = createGenerationsResponseSchema.parse(seedCreate);
    expect(result.creditsRemaining).toBe(20);
    expect(result.generations).toHaveLength(1);
    expect(result.generations[0]).toMatchObject({ generationId: "gen_01", result: "initiated" });
    expect(result.generations[0]?.media[0]).toMatchObject({
      id: "model_01",
      status: "pending",
      rawStatus: "initiated",
      width: 512,
      height: 512,
      model: "JuggernautXL",
      style: "Black & White",
      styleBaseModel: "flux",
      type: "image",
    });
  });

  it("accepts data as an array, string numbers and unknown fields", () => {
    const result = createGenerationsResponseSchema.parse({
      data: [
        { generation_id: "gen_1", credits_remaining: "18", media: [{ id: "m1", status: "queued", dim: { width: "768", height: "512" }, extra: 1 }] },
        { generation_id: 42, credits_remaining: 16, media: [], surprise: true },
      ],
      err: {},
      trace: "abc",
    });
    expect(result.creditsRemaining).toBe(16);
    expect(result.generations.map((g) => g.generationId)).toEqual(["gen_1", "42"]);
    expect(result.generations[0]?.media[0]).toMatchObject({ width: 768, height: 512 });
    expect(result.generations[0]?.media[0]?.raw).toMatchObject({ extra: 1 });
  });

  it("tolerates missing optional fields", () => {
    const result = createGenerationsResponseSchema.parse({ data: { generation_id: "gen_1" } });
    expect(result).toEqual({ generations: [{ generationId: "gen_1", media: [] }] });
  });

  it("fails without a generation id", () => {
    expect(createGenerationsResponseSchema.safeParse({ data: { media: [] } }).success).toBe(false);
    expect(createGenerationsResponseSchema.safeParse({ data: [] }).success).toBe(false);
  });
});

describe("media statuses", () => {
  it.each([
    ["pending", "pending"],
    ["initiated", "pending"],
    ["queued", "pending"],
    ["processing", "pending"],
    ["success", "success"],
    ["Succeeded", "success"],
    ["completed", "success"],
    ["failed", "failed"],
    ["error", "failed"],
    ["censored", "censored"],
    ["NSFW", "censored"],
    ["upscaling", "pending"],
    [undefined, "pending"],
  ] as const)("%s → %s", (raw, status) => {
    expect(normalizeMediaStatus(raw)).toBe(status);
  });

  it("keeps the raw status and the url only on success", () => {
    const pending = mediaSchema.parse({ id: "m", status: "warming_up", url: "" });
    expect(pending).toMatchObject({ status: "pending", rawStatus: "warming_up" });
    expect(pending.url).toBeUndefined();
    const failed = mediaSchema.parse({ id: "m", status: "failed", url: "" });
    expect(failed.url).toBeUndefined();
    const done = mediaSchema.parse({ id: "m", status: "success", url: "https://cdn/x.png", type: "image" });
    expect(done.url).toBe("https://cdn/x.png");
  });

  it("drops a malformed optional field instead of failing", () => {
    const media = mediaSchema.parse({ id: "m", status: "success", dim: null, model: 5, style_detail: "x" });
    expect(media.width).toBeUndefined();
    expect(media.model).toBeUndefined();
  });
});

describe("other answers", () => {
  it("generation lists with pagination and created_at as seconds or strings", () => {
    const body = listResponseSchema(generationSchema).parse({
      data: [
        { generation_id: "g1", created_at: 1_700_000_000, media: [] },
        { generation_id: "g2", created_at: "1700000001", media: [{ id: "m", status: "success" }] },
      ],
      pagination: { page: "1", page_size: 50, total: "2" },
      err: {},
    });
    expect(body.data[0]?.createdAt).toBe(1_700_000_000_000);
    expect(body.data[1]?.createdAt).toBe(1_700_000_001_000);
    expect(body.pagination).toEqual({ page: 1, pageSize: 50, total: 2 });
  });

  it("estimate with string numbers", () => {
    expect(estimateResponseSchema.parse({ data: { estimated: "5", balance: 20 }, error: {} })).toEqual({ estimated: 5, balance: 20 });
  });

  it("assets: v2 flat, statuses normalised", () => {
    const asset = dataResponseSchema(assetSchema).parse({
      data: { id: "ast_1", type: "video", status: "Active", size: { width: 1080, height: "1920" }, duration: "12.5", frames: 300 },
    }).data;
    expect(asset).toMatchObject({ id: "ast_1", status: "active", width: 1080, height: 1920, duration: 12.5, frames: 300 });
    expect(assetSchema.parse({ id: "a", status: "processing" }).status).toBe("pending");
    expect(assetSchema.parse({ id: "a", status: "failed" }).status).toBe("failed");
  });

  it("upload tickets: v2 and v1 shapes", () => {
    expect(parseUploadResponse({ data: { id: "ast_1", type: "image", status: "pending", upload_url: "https://s3/x" } })).toMatchObject({
      uploadUrl: "https://s3/x",
      asset: { id: "ast_1", status: "pending" },
    });
    expect(parseUploadResponse({ data: { asset: { id: "ast_2", status: "pending" }, upload_url: "https://s3/y" } })).toMatchObject({
      uploadUrl: "https://s3/y",
      asset: { id: "ast_2" },
    });
    expect(parseUploadResponse({ data: { id: "ast_3" } })).toBeUndefined();
  });

  it("resources keep unknown fields", () => {
    expect(resourceSchema.parse({ name: "Bokeh", base_model: "sdxl", popularity: 3 })).toMatchObject({
      name: "Bokeh",
      baseModel: "sdxl",
      raw: { popularity: 3 },
    });
  });
});

describe("error messages", () => {
  it("reads err.message, error.message, string forms and plain text", () => {
    expect(readErrorMessage({ data: null, err: { message: "bad prompt", code: "E1" } }, "")).toBe("bad prompt");
    expect(readErrorMessage({ data: null, error: { message: "no credits" } }, "")).toBe("no credits");
    expect(readErrorMessage({ error: "Invalid API key" }, "")).toBe("Invalid API key");
    expect(readErrorMessage({ err: "boom" }, "")).toBe("boom");
    expect(readErrorMessage({ message: "m" }, "")).toBe("m");
    expect(readErrorMessage("just a string", "")).toBe("just a string");
    expect(readErrorMessage(undefined, "Too Many Requests")).toBe("Too Many Requests");
    expect(readErrorMessage({ data: null, err: {} }, "")).toBeUndefined();
  });
});
