import { describe, expect, it } from "vitest";
import { createKeyedGate, GateFullError } from "@/lib/limits/keyed-gate";

/** A task that runs until released, recording when it started. */
function controllable(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { task: async () => (log.push(name), await done, name), release };
}

// Not a wait for time: one macrotask turn lets every promise callback already queued run, so what has started by then
// is exactly what the gate let start (a poll would also pass if too many started later).
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("keyed gate", () => {
  it("runs at most `max` tasks of a key at once, the rest in arrival order, other keys unaffected", async () => {
    const gate = createKeyedGate(2);
    const started: string[] = [];
    const tasks = ["a1", "a2", "a3", "a4"].map((name) => controllable(started, name));
    const results = tasks.map((t) => gate.run("A", t.task));
    const other = controllable(started, "b1");
    const otherResult = gate.run("B", other.task);
    await tick();
    expect(started).toEqual(["a1", "a2", "b1"]);
    expect(gate.load("A")).toEqual({ running: 2, waiting: 2 });
    tasks[1]!.release();
    await tick();
    expect(started).toEqual(["a1", "a2", "b1", "a3"]);
    tasks[0]!.release();
    await tick();
    expect(started.at(-1)).toBe("a4");
    expect(gate.load("A")).toEqual({ running: 2, waiting: 0 });
    for (const t of tasks) t.release();
    other.release();
    expect(await Promise.all(results)).toEqual(["a1", "a2", "a3", "a4"]);
    expect(await otherResult).toBe("b1");
    expect(gate.load("A")).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses at once when a key's line is full, without touching other keys", async () => {
    const gate = createKeyedGate(1, { maxWaiting: 2 });
    const started: string[] = [];
    const tasks = ["a1", "a2", "a3"].map((name) => controllable(started, name));
    const results = tasks.map((t) => gate.run("A", t.task));
    await expect(gate.run("A", async () => "a4")).rejects.toBeInstanceOf(GateFullError);
    expect(await gate.run("B", async () => "b1")).toBe("b1");
    for (const t of tasks) t.release();
    expect(await Promise.all(results)).toEqual(["a1", "a2", "a3"]);
    expect(await gate.run("A", async () => "a5")).toBe("a5");
  });

  it("frees the slot when a task fails", async () => {
    const gate = createKeyedGate(1);
    await expect(gate.run("A", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run("A", async () => "next")).toBe("next");
    expect(gate.load("A")).toEqual({ running: 0, waiting: 0 });
  });
});
