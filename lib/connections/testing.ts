import type { ConnectionOverrides } from "@/lib/connections/workspace";

/**
 * Tests and benchmarks only: wrap the fetch (fault injection, crash simulation) or shorten the timeouts of every
 * connection made from now on (lib/connections/workspace.ts reads the same global). Kept apart so the production
 * module exports no switch. Not `vi.mock`: the overrides change in the middle of a test (a fetch that fails once,
 * then works), and the benchmarks run outside Vitest. This module imports nothing at run time, so a test can set
 * overrides before it loads the app's modules.
 */
const overridesSlot = globalThis as unknown as { atelierConnectionOverrides?: ConnectionOverrides };

export function setConnectionOverridesForTests(overrides: ConnectionOverrides | undefined): void {
  overridesSlot.atelierConnectionOverrides = overrides;
}
