import { mkdtempSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
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

  it("stores a file from disk, leaving the source where it is and no temporary file", async () => {
    const source = path.join(root, "spooled-upload");
    await writeFile(source, "0123456789abcdef");
    expect(await store.putFile("ws/w1/assets/v.mp4", source, { contentType: "video/mp4" })).toEqual({ size: 16 });
    expect(await text((await store.get("ws/w1/assets/v.mp4"))!.stream)).toBe("0123456789abcdef");
    expect(await readFile(source, "utf8")).toBe("0123456789abcdef");
    await expect(store.putFile("ws/w1/assets/missing.mp4", path.join(root, "no-such-file"), { contentType: "video/mp4" })).rejects.toThrow(/ENOENT/);
    expect((await readdir(path.join(root, "ws/w1/assets"))).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });

  it("checks that its folder can be written, and names it when it can't", async () => {
    await expect(store.check()).resolves.toBeUndefined();
    const file = path.join(root, "a-file");
    await writeFile(file, "x");
    // A media folder under a regular file can't be created.
    await expect(new LocalDiskStorage(path.join(file, "media")).check()).rejects.toThrow(/The media folder .*a-file\/media can't be written: ENOTDIR/);
  });

  it("refuses keys that could escape the root", async () => {
    for (const key of ["../x.png", "/etc/passwd", "ws/../../x", "ws/a b.png", ""]) {
      await expect(store.put(key, new Uint8Array([1]), { contentType: "image/png" })).rejects.toThrow(/invalid storage key|escapes/);
    }
  });
});

afterAll(() => rm(root, { recursive: true, force: true }));
