import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { appliedMigrationNames, pingDatabase } from "@/lib/data/health";
import { createReadiness, shippedMigrations } from "@/lib/monitoring/readiness";
import { S3Storage } from "@/lib/storage/s3";
import { startSwift } from "@/scripts/lib/swift.mjs";

// Readiness against a real object store that goes away and comes back: an object store of its own (a second Swift,
// so the other s3 test files keep theirs), stopped and started again on the same folder and port.
const dir = mkdtempSync(path.join(tmpdir(), "atelier-ready-s3-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

it("goes red when the object store stops, naming the storage only, and green when it is back", { timeout: 300_000 }, async () => {
  const port = await freePort();
  let swift = await startSwift({ dir, port, buckets: ["ready-check"] });
  try {
    const store = new S3Storage({
      bucket: "ready-check",
      region: swift.region,
      endpoint: swift.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey },
    });
    const readiness = createReadiness({
      pingDatabase,
      appliedMigrations: appliedMigrationNames,
      expectedMigrations: shippedMigrations,
      checkStorage: () => store.check(),
      shuttingDown: () => false,
      timeoutMs: 5_000,
      cacheMs: 0,
      now: Date.now,
    });
    expect(await readiness.check()).toEqual({ ready: true, checks: { database: "ok", migrations: "ok", storage: "ok", shutdown: "ok" } });

    await swift.stop();
    const red = await readiness.check();
    expect(red.ready).toBe(false);
    expect(red.checks).toMatchObject({ database: "ok", migrations: "ok", shutdown: "ok" });
    expect(red.checks.storage).toMatch(/^The media storage (cannot be written or read right now|did not answer within 5 s)\.$/);
    // Atelier's own sentence: no host, port or error text from the SDK reaches the unauthenticated route.
    expect(red.checks.storage).not.toContain(String(port));

    swift = await startSwift({ dir, port, buckets: ["ready-check"] });
    await expect.poll(async () => (await readiness.check()).ready, { timeout: 30_000, interval: 500 }).toBe(true);
  } finally {
    await swift.stop();
  }
});
