import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { beginShutdown, httpServerDrain, isShuttingDown, onShutdown, parseShutdownTimings, shutdownPlan, type ShutdownPlan } from "@/lib/shutdown.mjs";

// The stop sequence's rules; lib/shutdown.process.test.ts runs the whole of it in a real process with SIGTERM.

describe("shutdown timings", () => {
  it("defaults to 25 s with a 5 s delay, and validates both", () => {
    expect(parseShutdownTimings({})).toEqual({ timeoutMs: 25_000, delayMs: 5_000 });
    expect(parseShutdownTimings({ ATELIER_SHUTDOWN_TIMEOUT: "4" })).toEqual({ timeoutMs: 4_000, delayMs: 2_000 });
    expect(parseShutdownTimings({ ATELIER_SHUTDOWN_TIMEOUT: "60", ATELIER_SHUTDOWN_DELAY: "0" })).toEqual({ timeoutMs: 60_000, delayMs: 0 });
    expect(() => parseShutdownTimings({ ATELIER_SHUTDOWN_TIMEOUT: "1" })).toThrow("ATELIER_SHUTDOWN_TIMEOUT must be a whole number of seconds from 2 to 3600");
    expect(() => parseShutdownTimings({ ATELIER_SHUTDOWN_TIMEOUT: "2.5" })).toThrow("ATELIER_SHUTDOWN_TIMEOUT");
    expect(() => parseShutdownTimings({ ATELIER_SHUTDOWN_DELAY: "-1" })).toThrow("ATELIER_SHUTDOWN_DELAY must be");
    expect(() => parseShutdownTimings({ ATELIER_SHUTDOWN_TIMEOUT: "10", ATELIER_SHUTDOWN_DELAY: "10" })).toThrow(
      "ATELIER_SHUTDOWN_DELAY must be shorter than ATELIER_SHUTDOWN_TIMEOUT",
    );
  });

  it("plans: accept during the delay (not after SIGINT), cut work short before the deadline", () => {
    const timings = { timeoutMs: 25_000, delayMs: 5_000 };
    expect(shutdownPlan(timings, "SIGTERM", 1000)).toEqual({ signal: "SIGTERM", startedAt: 1000, acceptUntil: 6000, finishBy: 24_000, deadline: 26_000 });
    expect(shutdownPlan(timings, "SIGINT", 1000).acceptUntil).toBe(1000);
    // A short timeout keeps a fifth of it for the hand-backs, and the delay never passes finishBy.
    expect(shutdownPlan({ timeoutMs: 5000, delayMs: 4500 }, "SIGTERM", 0)).toEqual({ signal: "SIGTERM", startedAt: 0, acceptUntil: 4000, finishBy: 4000, deadline: 5000 });
  });
});

describe("the HTTP server's drain", () => {
  it("lets a request in flight finish, then closes; one still running at finishBy is cut", async () => {
    const server = http.createServer((req, res) => {
      const ms = Number(new URL(req.url ?? "/", "http://x").searchParams.get("ms"));
      setTimeout(() => res.end("done"), ms);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const ask = (ms: number) =>
      new Promise<string>((resolve) => {
        http
          .get({ host: "127.0.0.1", port, path: `/?ms=${ms}`, agent: new http.Agent({ keepAlive: true }) }, (res) => {
            let body = "";
            res.on("data", (chunk: Buffer) => (body += chunk.toString()));
            res.on("end", () => resolve(body));
            res.on("error", () => resolve("cut"));
          })
          .on("error", () => resolve("cut"));
      });
    const quick = ask(300);
    const endless = ask(60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = Date.now();
    const drained = httpServerDrain(server)({ signal: "SIGTERM", startedAt: now, acceptUntil: now + 100, finishBy: now + 1000, deadline: now + 1500 });
    expect(await quick).toBe("done");
    expect(await endless).toBe("cut");
    await drained;
    expect(Date.now() - now).toBeLessThan(1500);
    expect(server.listening).toBe(false);
  });
});

describe("the coordinator", () => {
  // The one test in this file that starts the sequence: it is once per process.
  it("gives every drain the same plan, starts late ones at once, and exits 1 at the deadline when one hangs", async () => {
    const plans: [string, ShutdownPlan][] = [];
    onShutdown("quick", async (plan) => void plans.push(["quick", plan]));
    onShutdown("stuck", (plan) => {
      plans.push(["stuck", plan]);
      return new Promise(() => undefined);
    });
    expect(isShuttingDown()).toBe(false);
    const exits: [number, number][] = [];
    const startedAt = Date.now();
    void beginShutdown("SIGTERM", { timings: { timeoutMs: 2000, delayMs: 500 }, exit: (code) => void exits.push([code, Date.now() - startedAt]) });
    expect(isShuttingDown()).toBe(true);
    onShutdown("late", async (plan) => void plans.push(["late", plan]));
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect(plans.map(([name]) => name).sort()).toEqual(["late", "quick", "stuck"]);
    const plan = plans[0]![1];
    expect(plans.every(([, p]) => p === plan)).toBe(true);
    expect(plan.acceptUntil - plan.startedAt).toBe(500);
    expect(plan.deadline - plan.startedAt).toBe(2000);
    expect(exits).toHaveLength(1);
    expect(exits[0]![0]).toBe(1);
    expect(exits[0]![1]).toBeGreaterThanOrEqual(1900);
  });
});
