import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { appliedMigrationNames, pingDatabase } from "@/lib/data/health";
import { createReadiness, shippedMigrations } from "@/lib/monitoring/readiness";
import { LocalDiskStorage } from "@/lib/storage/local-disk";

// The health routes and readiness' real checks against the migrated test database, connected as the app's
// least-privilege role (which may not read "_prisma_migrations": it asks atelier_applied_migrations()).

let mediaDir: string;
beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(os.tmpdir(), "atelier-health-"));
  process.env.MEDIA_DIR = mediaDir;
});
afterAll(async () => {
  await rm(mediaDir, { recursive: true, force: true });
});

describe("health routes", () => {
  it("liveness answers 200 without touching anything", async () => {
    const response = live();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "live" });
  });

  it("readiness is 200 on a migrated database with writable storage", async () => {
    const response = await ready();
    expect(await response.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", storage: "ok", shutdown: "ok" } });
    expect(response.status).toBe(200);
  });
});

describe("readiness' real checks", () => {
  it("the app role sees every shipped migration applied, this one's function included", async () => {
    const shipped = await shippedMigrations();
    expect(shipped).toContain("20261203190000_applied_migrations_function");
    const applied = await appliedMigrationNames();
    expect(applied).not.toBeNull();
    expect(shipped.filter((name) => !applied!.includes(name))).toEqual([]);
  });

  const real = (overrides: Partial<Parameters<typeof createReadiness>[0]> = {}) =>
    createReadiness({
      pingDatabase,
      appliedMigrations: appliedMigrationNames,
      expectedMigrations: () => shippedMigrations(),
      checkStorage: () => new LocalDiskStorage(mediaDir).check(),
      shuttingDown: () => false,
      timeoutMs: 2000,
      cacheMs: 0,
      now: Date.now,
      ...overrides,
    });

  it("is green with the real checks, and red per check when one is made to fail", async () => {
    expect((await real().check()).ready).toBe(true);

    const unshipped = await real({ expectedMigrations: async () => [...(await shippedMigrations()), "29991231000000_from_the_future"] }).check();
    expect(unshipped).toMatchObject({ ready: false, checks: { database: "ok", storage: "ok", migrations: "1 migration is not applied to the database yet: run npm run db:migrate." } });

    // A file where the media folder should be: the local disk's own check refuses it.
    const blocked = path.join(mediaDir, "not-a-folder");
    await (await import("node:fs/promises")).writeFile(blocked, "");
    const storageRed = await real({ checkStorage: () => new LocalDiskStorage(path.join(blocked, "media")).check() }).check();
    expect(storageRed).toMatchObject({ ready: false, checks: { database: "ok", migrations: "ok", storage: "The media storage cannot be written or read right now." } });
    expect(JSON.stringify(storageRed)).not.toContain(mediaDir);

    const databaseRed = await real({ pingDatabase: () => Promise.reject(new Error("connection refused")) }).check();
    expect(databaseRed).toMatchObject({ ready: false, checks: { database: "The database cannot be reached.", migrations: "ok", storage: "ok" } });

    const stopping = await real({ shuttingDown: () => true }).check();
    expect(stopping).toMatchObject({ ready: false, checks: { shutdown: "This instance is shutting down." } });
  });
});
