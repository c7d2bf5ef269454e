import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { QOLABA_SPEC, RENDERNET_SPEC } from "./processes";

// The vendored specs must stay the contract: where the shared upstream folder is present (developers' machines, CI),
// they must match it byte for byte.
const upstream = path.resolve(import.meta.dirname, "../../../shared/upstream");

describe.runIf(existsSync(upstream))("vendored provider specs", () => {
  for (const spec of [RENDERNET_SPEC, QOLABA_SPEC]) {
    it(`${path.basename(spec)} matches ../shared/upstream`, () => {
      expect(readFileSync(spec, "utf8")).toBe(readFileSync(path.join(upstream, path.basename(spec)), "utf8"));
    });
  }
});
