import { existsSync, mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { startSwift } from "@/scripts/lib/swift.mjs";

// The harness itself (the `s3` project already runs one Swift for the whole run; this starts and stops another).
const dir = mkdtempSync(path.join(tmpdir(), "atelier-swift-harness-"));

describe("startSwift", () => {
  it("starts a store that answers signed requests with the buckets asked for, and stop() ends it", async () => {
    const swift = await startSwift({ dir, buckets: ["harness-bucket"] });
    const client = new S3Client({ endpoint: swift.endpoint, region: swift.region, forcePathStyle: true, credentials: swift, maxAttempts: 1 });
    try {
      expect(swift.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
      expect(Buckets.map((bucket) => bucket.Name)).toContain("harness-bucket");
      await expect(new S3Client({ endpoint: swift.endpoint, region: swift.region, forcePathStyle: true, maxAttempts: 1,
        credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: "wrong" } }).send(new ListBucketsCommand({}))).rejects.toThrow();
      await swift.stop();
      await expect(client.send(new ListBucketsCommand({}))).rejects.toThrow(/ECONNREFUSED/);
      expect(existsSync(path.join(dir, "swift.log"))).toBe(true); // a folder given is kept, logs included
    } finally {
      client.destroy();
      await swift.stop();
    }
  }, 240_000);

  it("names the apt-get command when Swift is not installed", async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, "no-such-bin");
    try {
      await expect(startSwift()).rejects.toThrow(
        "OpenStack Swift is not installed (swift-proxy-server is not on PATH): install it with `apt-get install -y --no-install-recommends swift swift-proxy swift-object swift-container swift-account python3-swift` (as root).",
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});

afterAll(() => rm(dir, { recursive: true, force: true }));
