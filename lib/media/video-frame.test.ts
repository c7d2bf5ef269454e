import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { videoFrame } from "@/lib/media/video-frame";
import { makeMp4 } from "@/test/contract/fixtures";

describe("videoFrame", () => {
  it("reads a frame of a real MP4 at the video's size", async () => {
    const frame = await videoFrame(await makeMp4(320, 192, 12, 24));
    expect(frame).not.toBeNull();
    const meta = await sharp(frame!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 320, 192]);
  });

  it("answers null for bytes that are not a video", async () => {
    expect(await videoFrame(new TextEncoder().encode("<html>not a video</html>"))).toBeNull();
  });
});
