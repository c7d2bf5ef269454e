/**
 * A child process for lib/shutdown.process.test.ts: an HTTP server and a job worker on the test database, wired to
 * the stop sequence exactly as scripts/server.mjs and lib/startup.ts wire Atelier's (httpServerDrain, workerDrain,
 * installShutdownHandlers with the configured timings). Its job handler and slow route say what happens on stdout,
 * one JSON line per event, for the test to read.
 *   TEST_QUEUE    the queue its worker serves; a job's payload is { name, ms }: it holds ms, honouring its signal
 *   GET /slow?ms=N answers after N ms; GET /ready is 503 once the stop has begun (isShuttingDown, as readiness)
 */
import http from "node:http";
import { parseEnv } from "@/lib/env";
import { startWorker, workerDrain } from "@/lib/jobs/worker";
import type { QueueDefinition } from "@/lib/jobs/queue";
import { httpServerDrain, installShutdownHandlers, isShuttingDown, onShutdown } from "@/lib/shutdown.mjs";

const say = (event: Record<string, unknown>) => console.log(JSON.stringify({ test: true, ...event }));

const queue = process.env.TEST_QUEUE ?? "test.graceful";
const hold: QueueDefinition<{ name: string; ms: number }> = {
  handle({ name, ms }, { signal }) {
    say({ event: "job-started", name });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        say({ event: "job-finished", name });
        resolve({ done: true });
      }, ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        say({ event: "job-aborted", name });
        reject(new Error("aborted"));
      });
    });
  },
};

installShutdownHandlers(parseEnv(process.env).shutdown);
const worker = startWorker({ queues: { [queue]: hold as QueueDefinition<never> }, concurrency: 4, pollMs: 50 });
onShutdown("jobs", workerDrain(worker));

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/ready") {
    res.writeHead(isShuttingDown() ? 503 : 200).end();
    return;
  }
  if (url.pathname === "/slow") {
    say({ event: "request-started" });
    setTimeout(() => res.writeHead(200).end("slow answer"), Number(url.searchParams.get("ms") ?? 0));
    return;
  }
  res.writeHead(404).end();
});
onShutdown("http", httpServerDrain(server));
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  say({ event: "listening", port: typeof address === "object" && address ? address.port : 0 });
});
