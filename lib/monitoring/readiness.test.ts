import { describe, expect, it, vi } from "vitest";
import { createReadiness, type ReadinessDeps } from "@/lib/monitoring/readiness";

// Readiness' rules with injected checks (lib/monitoring/health.test.ts runs the real ones against the test database).

const shipped = ["20260101000000_init", "20260201000000_more"];

function deps(overrides: Partial<ReadinessDeps> = {}): ReadinessDeps {
  return {
    pingDatabase: vi.fn(async () => undefined),
    appliedMigrations: vi.fn(async () => [...shipped]),
    expectedMigrations: vi.fn(async () => [...shipped]),
    checkStorage: vi.fn(async () => undefined),
    shuttingDown: () => false,
    timeoutMs: 200,
    cacheMs: 1000,
    now: Date.now,
    ...overrides,
  };
}

const hang = () => new Promise<never>(() => undefined);

describe("readiness", () => {
  it("is ready when every check passes", async () => {
    expect(await createReadiness(deps()).check()).toEqual({
      ready: true,
      checks: { database: "ok", migrations: "ok", storage: "ok", shutdown: "ok" },
    });
  });

  it("names a database that fails, without its error's text", async () => {
    const report = await createReadiness(deps({ pingDatabase: async () => Promise.reject(new Error("connect ECONNREFUSED 10.1.2.3:5432 user=atelier_app")) })).check();
    expect(report.ready).toBe(false);
    expect(report.checks.database).toBe("The database cannot be reached.");
    expect(JSON.stringify(report)).not.toMatch(/10\.1\.2\.3|atelier_app|ECONNREFUSED/);
    expect(report.checks.storage).toBe("ok");
  });

  it("answers within its timeout when the database hangs, and never stacks a second probe query on it", async () => {
    const pingDatabase = vi.fn(hang);
    const readiness = createReadiness(deps({ pingDatabase }));
    const started = Date.now();
    const [first, second] = await Promise.all([readiness.check(), readiness.check()]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(first.checks.database).toBe("The database did not answer within 0.2 s.");
    expect(second.ready).toBe(false);
    expect((await readiness.check()).ready).toBe(false);
    expect(pingDatabase).toHaveBeenCalledTimes(1);
  });

  it("is not ready while a shipped migration is not applied (extra applied ones are fine)", async () => {
    const readiness = createReadiness(deps({ appliedMigrations: async () => [shipped[0]!, "20270101000000_newer_release"] }));
    const report = await readiness.check();
    expect(report.ready).toBe(false);
    expect(report.checks.migrations).toBe("1 migration is not applied to the database yet: run npm run db:migrate.");
    const none = await createReadiness(deps({ appliedMigrations: async () => null })).check();
    expect(none.checks.migrations).toBe("2 migrations are not applied to the database yet: run npm run db:migrate.");
    const extra = await createReadiness(deps({ appliedMigrations: async () => [...shipped, "20270101000000_newer_release"] })).check();
    expect(extra.ready).toBe(true);
  });

  it("says so when the release's migrations folder cannot be read", async () => {
    const report = await createReadiness(deps({ expectedMigrations: async () => Promise.reject(new Error("ENOENT /srv/app/prisma/migrations")) })).check();
    expect(report.checks.migrations).toBe("The release's migrations folder (prisma/migrations) cannot be read.");
  });

  it("checks migrations until they pass, then never again", async () => {
    const appliedMigrations = vi.fn(async () => [shipped[0]!]);
    let now = 0;
    const readiness = createReadiness(deps({ appliedMigrations, now: () => now }));
    expect((await readiness.check()).ready).toBe(false);
    appliedMigrations.mockImplementation(async () => [...shipped]);
    now += 5000;
    expect((await readiness.check()).ready).toBe(true);
    now += 5000;
    expect((await readiness.check()).ready).toBe(true);
    expect(appliedMigrations).toHaveBeenCalledTimes(2);
  });

  it("fails on storage, with its own sentence rather than the store's", async () => {
    const report = await createReadiness(deps({ checkStorage: async () => Promise.reject(new Error("The media folder /var/lib/atelier can't be written: EACCES")) })).check();
    expect(report).toEqual({
      ready: false,
      checks: { database: "ok", migrations: "ok", storage: "The media storage cannot be written or read right now.", shutdown: "ok" },
    });
    const hung = await createReadiness(deps({ checkStorage: hang })).check();
    expect(hung.checks.storage).toBe("The media storage did not answer within 0.2 s.");
  });

  it("reuses a green answer for cacheMs, but not once shutting down, and never caches red", async () => {
    let now = 0;
    let stopping = false;
    const pingDatabase = vi.fn(async () => undefined);
    const readiness = createReadiness(deps({ pingDatabase, now: () => now, shuttingDown: () => stopping }));
    await readiness.check();
    now += 500;
    await readiness.check();
    expect(pingDatabase).toHaveBeenCalledTimes(1);
    now += 600;
    await readiness.check();
    expect(pingDatabase).toHaveBeenCalledTimes(2);

    stopping = true;
    const report = await readiness.check();
    expect(report.ready).toBe(false);
    expect(report.checks.shutdown).toBe("This instance is shutting down.");

    stopping = false;
    pingDatabase.mockImplementation(async () => Promise.reject(new Error("down")));
    now += 2000;
    expect((await readiness.check()).ready).toBe(false);
    pingDatabase.mockImplementation(async () => undefined);
    expect((await readiness.check()).ready).toBe(true);
  });
});
