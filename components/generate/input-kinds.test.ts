import { describe, expect, it } from "vitest";
import { acceptsFile, acceptsUpload, unsupportedMessage } from "@/components/generate/input-kinds";

describe("what a tool's input picker takes", () => {
  it("names the picker's own formats, not every type Atelier can upload", () => {
    expect(unsupportedMessage("IMAGE", "loop.gif")).toBe("loop.gif isn't a supported image. Use PNG, JPEG or WebP.");
    expect(unsupportedMessage("VIDEO", "clip.mov")).toBe("clip.mov isn't a supported video. Use MP4 or WebM.");
    expect(unsupportedMessage("IMAGE", "x.gif")).not.toMatch(/GIF|MP4|MP3/);
    expect(unsupportedMessage("IMAGE", "disguised.png", { byContent: true })).toBe("disguised.png's content isn't a supported image. Use PNG, JPEG or WebP.");
  });

  it("refuses a GIF in an image picker before uploading it, by type or, without one, by name", () => {
    expect(acceptsFile("IMAGE", new File(["x"], "loop.gif", { type: "image/gif" }))).toBe(false);
    expect(acceptsFile("IMAGE", new File(["x"], "loop.gif"))).toBe(false);
    expect(acceptsFile("IMAGE", new File(["x"], "photo.webp", { type: "image/webp" }))).toBe(true);
    expect(acceptsFile("IMAGE", new File(["x"], "PHOTO.JPG"))).toBe(true);
  });

  it("judges an upload by what the server read from its content", () => {
    expect(acceptsUpload("IMAGE", { kind: "IMAGE", mimeType: "image/png" })).toBe(true);
    // Named .png, but a GIF or a video inside: kept as an upload, not taken by this input.
    expect(acceptsUpload("IMAGE", { kind: "IMAGE", mimeType: "image/gif" })).toBe(false);
    expect(acceptsUpload("IMAGE", { kind: "VIDEO", mimeType: "video/mp4" })).toBe(false);
    expect(acceptsUpload("AUDIO", { kind: "AUDIO", mimeType: "audio/mpeg" })).toBe(true);
  });
});
