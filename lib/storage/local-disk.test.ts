import { mkdtempSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rm } from "node:fs/promises";
import { LocalDiskStorage } from "@/lib/storage/local-disk";

const root = mkdtempSync(path.join(tmpdir(), "atelier-storage-"));
const store = new LocalDiskStorage(root);
const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe("local disk storage", () => {
  it("puts, stats, reads ranges and deletes, leaving no temporary files", async () => {
    await store.put("ws/w1/gen/g1/m1.png", new TextEncoder().encode("0123456789"), { contentType: "image/png" });
    expect(await store.stat("ws/w1/gen/g1/m1.png")).toEqual({ size: 10, contentType: "image/png" });
    const whole = await store.get("ws/w1/gen/g1/m1.png");
    expect(await text(whole!.stream)).toBe("0123456789");
    const part = await store.get("ws/w1/gen/g1/m1.png", { start: 2, end: 4 });
    expect([await text(part!.stream), part!.size]).toEqual(["234", 10]);
    expect(await readdir(path.join(root, "ws/w1/gen/g1"))).toEqual(["m1.png"]);
    await store.delete("ws/w1/gen/g1/m1.png");
    expect(await store.get("ws/w1/gen/g1/m1.png")).toBeNull();
  });

  it("accepts streams", async () => {
    const stream = new Blob(["abc", "def"]).stream();
    expect(await store.put("ws/w1/assets/a.mp4", stream, { contentType: "video/mp4" })).toEqual({ size: 6 });
    expect((await store.stat("ws/w1/assets/a.mp4"))?.contentType).toBe("video/mp4");
  });

  it("refuses keys that could escape the root", async () => {
    for (const key of ["../x.png", "/etc/passwd", "ws/../../x", "ws/a b.png", ""]) {
      await expect(store.put(key, new Uint8Array([1]), { contentType: "image/png" })).rejects.toThrow(/invalid storage key|escapes/);
    }
  });
});

afterAll(() => rm(root, { recursive: true, force: true }));
