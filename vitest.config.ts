import path from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { allTests, integrationGlobs, notTests, s3Globs } from "./test/projects.mjs";

const root = import.meta.dirname;

/** What every project (and bench/vitest.config.ts) shares: aliases, the process pool, timeouts. */
export const shared = defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React Server Components; tests run lib/ directly on the server side.
      "server-only": path.resolve(root, "test/server-only-stub.ts"),
    },
  },
  test: {
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

/** The migrated test database (test/global-setup.ts) and the environment pointing at it (test/setup.ts). */
export const withDatabase = {
  globalSetup: ["./test/global-setup.ts"],
  setupFiles: ["./test/setup.ts"],
};

// Separate projects, so the quick loop (`npm run test:unit`, `vitest run --project unit`) never starts PostgreSQL, and
// only the `s3` project starts OpenStack Swift. Membership: test/projects.mjs. Each project sets its own include,
// exclude and setup files: with `extends: true` a project inherits the root's test options and Vite would concatenate
// these arrays, not replace them.
const integration = integrationGlobs(root);
const s3 = s3Globs(root);
const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: { name: "unit", include: allTests, exclude: [...notTests, ...integration, ...s3], setupFiles: ["./test/unit-setup.ts"] },
  },
  {
    extends: true,
    test: { name: "integration", include: integration, exclude: notTests, ...withDatabase },
  },
  {
    extends: true,
    test: {
      name: "s3",
      include: s3,
      exclude: notTests,
      globalSetup: ["./test/s3-global-setup.ts"],
      setupFiles: [...withDatabase.setupFiles, "./test/s3-setup.ts"],
    },
  },
];

export default defineConfig({ ...shared, test: { ...shared.test, projects } });
