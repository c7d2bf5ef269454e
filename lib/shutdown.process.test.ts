import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { enqueue } from "@/lib/jobs/queue";

// The stop sequence end to end, in a real process (test/graceful-stop-child.ts: an HTTP server and a job worker on
// the test database, wired as scripts/server.mjs and lib/startup.ts wire Atelier's), stopped with a real SIGTERM.

const root = path.resolve(import.meta.dirname, "..");
type Event = { event?: string; msg?: string; name?: string; port?: number; at: number };

function startChild(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "test", "graceful-stop-child.ts")], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: Event[] = [];
  let output = "";
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    output += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      try {
        // The child's own events, and the stop sequence's log lines (lib/shutdown.mjs).
        events.push({ ...(JSON.parse(line) as Event), at: Date.now() });
      } catch {
        // not a JSON line
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on("exit", (code) => resolve({ code, at: Date.now() })));
  return { child, events, exited, output: () => output };
}

async function until<T>(find: () => T | undefined, what: string, output: () => string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; child said:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A GET on a fresh connection: its status, or the connection error's code. */
function get(port: number, pathname: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: pathname, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

let running: ChildProcess | null = null;
afterEach(() => {
  if (running && running.exitCode === null) running.kill("SIGKILL");
  running = null;
});

describe("graceful shutdown", () => {
  it("on SIGTERM: not ready at once, finishes the request and the short job, hands back the long one, exits 0 in time", async () => {
    const queue = `test.graceful.${randomUUID().slice(0, 8)}`;
    const timeoutSeconds = 6;
    const { child, events, exited, output } = startChild({ TEST_QUEUE: queue, ATELIER_SHUTDOWN_TIMEOUT: String(timeoutSeconds), ATELIER_SHUTDOWN_DELAY: "1" });
    running = child;
    const { port } = await until(() => events.find((e) => e.event === "listening"), "the child to listen", output, 30_000);
    expect((await get(port!, "/ready")).status).toBe(200);

    // A job that finishes within the grace, one that would outlast the timeout, and a request in flight.
    await enqueue(db, { queue, key: `${queue}:short`, payload: { name: "short", ms: 1500 } });
    await enqueue(db, { queue, key: `${queue}:long`, payload: { name: "long", ms: 60_000 } });
    await until(() => (events.filter((e) => e.event === "job-started").length === 2 ? true : undefined), "both jobs to start", output);
    const slow = get(port!, "/slow?ms=2500");
    await until(() => events.find((e) => e.event === "request-started"), "the request to arrive", output);

    const signalledAt = Date.now();
    child.kill("SIGTERM");
    // Readiness is red as soon as the signal is handled, while the listener is still open (ATELIER_SHUTDOWN_DELAY=1).
    await until(() => events.find((e) => e.msg === "shutdown: not ready; draining"), "the signal to be handled", output);
    expect((await get(port!, "/ready")).status).toBe(503);

    // The request in flight completes with its answer.
    expect(await slow).toEqual({ status: 200, body: "slow answer" });
    // After the delay the listener is closed: a new connection is refused.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, signalledAt + 1300 - Date.now())));
    expect((await get(port!, "/ready")).error).toBe("ECONNREFUSED");

    const { code, at } = await exited;
    expect(code, output()).toBe(0);
    expect(at - signalledAt).toBeLessThan(timeoutSeconds * 1000);

    // The short job finished and is gone; the long one was aborted and handed back, due again for any instance, once.
    const started = events.filter((e) => e.event === "job-started").map((e) => e.name);
    expect(started.sort()).toEqual(["long", "short"]);
    expect(events.filter((e) => e.event === "job-finished").map((e) => e.name)).toEqual(["short"]);
    expect(events.filter((e) => e.event === "job-aborted").map((e) => e.name)).toEqual(["long"]);
    const rows = await db.job.findMany({ where: { queue } });
    expect(rows.map((row) => ({ key: row.key, lockedBy: row.lockedBy, attempts: row.attempts }))).toEqual([
      { key: `${queue}:long`, lockedBy: null, attempts: 0 },
    ]);
    expect(rows[0]!.runAt.getTime()).toBeLessThanOrEqual(Date.now());
  }, 40_000);

  it("exits 0 at once on SIGINT when nothing is running", async () => {
    const { child, events, exited, output } = startChild({ TEST_QUEUE: `test.graceful.${randomUUID().slice(0, 8)}`, ATELIER_SHUTDOWN_TIMEOUT: "10" });
    running = child;
    await until(() => events.find((e) => e.event === "listening"), "the child to listen", output, 30_000);
    const signalledAt = Date.now();
    child.kill("SIGINT");
    const { code, at } = await exited;
    expect(code, output()).toBe(0);
    // No delay for a person at a terminal, and nothing to wait for.
    expect(at - signalledAt).toBeLessThan(2000);
  }, 40_000);
});
