import { defineConfig, mergeConfig } from "vitest/config";
import { shared, withDatabase } from "../vitest.config";

// Benchmarks reuse the integration tests' set-up (a migrated PostgreSQL, aliases) but run alone and one file at a time.
export default mergeConfig(
  shared,
  defineConfig({
    test: { ...withDatabase, include: ["bench/**/*.bench.ts"], testTimeout: 600_000, fileParallelism: false },
  }),
);
