import { defineConfig, mergeConfig } from "vitest/config";
import base from "../vitest.config";

// Benchmarks reuse the test set-up (a migrated PostgreSQL, aliases) but run alone and one file at a time.
export default mergeConfig(
  base,
  defineConfig({
    test: { include: ["bench/**/*.bench.ts"], exclude: [], testTimeout: 600_000, fileParallelism: false },
  }),
);
