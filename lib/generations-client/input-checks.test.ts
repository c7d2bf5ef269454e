import { describe, expect, it } from "vitest";
import { clampCrop, largestCrop, narratorVideoProblem, ratioLabel, resizeCrop, scaledSize, videoAnyoneShape } from "@/lib/generations-client/input-checks";

describe("narratorVideoProblem", () => {
  it("accepts 30 fps (and the rounding a 30 fps file reads as) up to 1080 × 1920 either way round", () => {
    expect(narratorVideoProblem({ width: 1080, height: 1920, frameRate: 30 })).toBeNull();
    expect(narratorVideoProblem({ width: 1920, height: 1080, frameRate: 30.005 })).toBeNull();
    expect(narratorVideoProblem({ width: 720, height: 1280, frameRate: null })).toBeNull();
  });

  it("refuses a faster or larger video with the reason", () => {
    expect(narratorVideoProblem({ width: 1080, height: 1920, frameRate: 59.94 })).toMatch(/59\.94 fps/);
    expect(narratorVideoProblem({ width: 1440, height: 1440, frameRate: 24 })).toMatch(/1440 × 1440/);
    expect(narratorVideoProblem({ width: 2160, height: 1080, frameRate: 24 })).toMatch(/at most 1080 × 1920/);
  });
});

describe("videoAnyoneShape", () => {
  it("accepts 3:5 and 5:3 within 2%", () => {
    expect(videoAnyoneShape(600, 1000)).toBe("portrait");
    expect(videoAnyoneShape(1000, 600)).toBe("landscape");
    expect(videoAnyoneShape(1010, 600)).toBe("landscape");
  });

  it("asks for a crop otherwise", () => {
    expect(videoAnyoneShape(1024, 1024)).toBeNull();
    expect(videoAnyoneShape(1920, 1080)).toBeNull();
    expect(videoAnyoneShape(1050, 600)).toBeNull();
  });
});

describe("crop geometry", () => {
  it("takes the largest centred crop of the ratio, which then passes the shape check", () => {
    const crop = largestCrop(1920, 1080, 5 / 3);
    expect(crop).toEqual({ x: 60, y: 0, width: 1800, height: 1080 });
    expect(videoAnyoneShape(crop.width, crop.height)).toBe("landscape");
    const portrait = largestCrop(1024, 1024, 3 / 5);
    expect(portrait.height).toBe(1024);
    expect(videoAnyoneShape(portrait.width, portrait.height)).toBe("portrait");
  });

  it("keeps a dragged crop inside the image", () => {
    expect(clampCrop({ x: 900, y: -40, width: 600, height: 1000 }, 1024, 1024, 3 / 5)).toMatchObject({ x: 424, y: 0 });
  });

  it("resizes around the top-left corner without leaving the image", () => {
    const crop = resizeCrop({ x: 100, y: 100, width: 300, height: 500 }, 5000, 1024, 1024, 3 / 5);
    expect(crop.y + crop.height).toBeLessThanOrEqual(1024);
    expect(videoAnyoneShape(crop.width, crop.height)).toBe("portrait");
  });
});

describe("labels", () => {
  it("names sizes and ratios", () => {
    expect(scaledSize(1024, 768, 1.5)).toEqual({ width: 1536, height: 1152 });
    expect(ratioLabel(1920, 1080)).toBe("16:9");
    expect(ratioLabel(1000, 601)).toBe("1.66:1");
  });
});
