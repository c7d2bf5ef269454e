import { describe, expect, it } from "vitest";
import type { GenerationStatusDTO, GenerationSummary } from "@/lib/generations/types";
import { elapsedSeconds, finishedSince, formatElapsed, isActiveStatus, pollInterval, statusLabel } from "@/lib/generations-client/generation-status";

const run = (id: string, status: GenerationStatusDTO): GenerationSummary => ({
  id,
  tool: "IMAGE",
  status,
  retried: false,
  prompt: null,
  modelLabel: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  estimatedCredits: null,
  charge: { credits: null, refunded: null, basis: null },
  provider: "RENDERNET",
  createdBy: null,
  errorMessage: null,
  seed: null,
  cancelRequested: false,
  canCancel: false,
  expected: { count: 1, aspect: null },
  media: [],
});

describe("finishedSince", () => {
  it("reports runs seen in flight that became final, and nothing already final", () => {
    const before = new Map<string, GenerationStatusDTO>([
      ["a", "RUNNING"],
      ["b", "SUCCEEDED"],
      ["c", "QUEUED"],
    ]);
    const changes = finishedSince(before, [run("a", "SUCCEEDED"), run("b", "SUCCEEDED"), run("c", "RUNNING"), run("d", "FAILED")], new Set());
    expect(changes.map((c) => c.generation.id)).toEqual(["a"]);
  });

  it("reports a run this tab submitted that finished before it was ever seen", () => {
    const changes = finishedSince(new Map(), [run("d", "FAILED"), run("e", "SUCCEEDED")], new Set(["d"]));
    expect(changes.map((c) => [c.generation.id, c.from])).toEqual([["d", null]]);
  });
});

describe("polling and timing", () => {
  it("polls fast only while something is in flight", () => {
    expect(pollInterval([run("a", "SUCCEEDED"), run("b", "RECONCILING")])).toBe(1_500);
    expect(pollInterval([run("a", "REFUSED")])).toBe(15_000);
    expect(pollInterval(undefined)).toBe(15_000);
  });

  it("treats a run whose inputs are uploading as in flight, and says so", () => {
    expect(isActiveStatus("PREPARING")).toBe(true);
    expect(pollInterval([run("a", "PREPARING")])).toBe(1_500);
    expect(statusLabel.PREPARING).toBe("Uploading input");
    expect(finishedSince(new Map([["a", "PREPARING"]]), [run("a", "FAILED")], new Set()).map((c) => c.from)).toEqual(["PREPARING"]);
  });

  it("counts from start to finish, never below zero", () => {
    const g = { createdAt: "2026-01-01T00:00:00Z", startedAt: "2026-01-01T00:00:02Z", finishedAt: "2026-01-01T00:01:07Z" };
    expect(elapsedSeconds(g, 0)).toBe(65);
    expect(formatElapsed(65)).toBe("1m 05s");
    expect(elapsedSeconds({ ...g, finishedAt: null }, Date.parse("2026-01-01T00:00:00Z"))).toBe(0);
  });
});
