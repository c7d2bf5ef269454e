import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

/** A TCP port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The providers' specs, vendored from ../shared/upstream so the suite runs on any fresh clone (see specs.test.ts). */
export const SPECS_DIR = path.resolve(import.meta.dirname, "specs");
export const RENDERNET_SPEC = path.join(SPECS_DIR, "rendernet.openapi.yaml");
export const QOLABA_SPEC = path.join(SPECS_DIR, "qolaba.openapi.yaml");

/**
 * Prism 5.14 in proxy mode with --errors: every request it forwards and every response it relays is validated
 * against the spec, and any violation is answered with an application/problem+json error instead.
 */
export async function startPrism(spec: string, upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const port = await freePort();
  const bin = path.resolve(import.meta.dirname, "../../node_modules/@stoplight/prism-cli/dist/index.js");
  const child: ChildProcess = spawn(process.execPath, [bin, "proxy", spec, upstream, "--errors", "--host", "127.0.0.1", "--port", String(port)], {
    env: { ...process.env, SCARF_ANALYTICS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export type Exchange = { method: string; url: string; status: number; problem?: unknown };

/**
 * A fetch that records every exchange, and keeps Prism's problem+json bodies so a test can show the violations.
 */
export function recordingFetch() {
  const exchanges: Exchange[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const exchange: Exchange = { method: request.method, url: request.url, status: response.status };
    if (response.headers.get("content-type")?.includes("application/problem+json")) {
      exchange.problem = await response.clone().json().catch(() => "unreadable");
    }
    exchanges.push(exchange);
    return response;
  };
  return { fetch: fetchImpl, exchanges, violations: () => exchanges.filter((e) => e.problem !== undefined) };
}

/** A standalone sandbox on a free port with a fast schedule, test hooks and a private data folder. */
export async function startTestSandbox(label: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { startSandboxServer } = await import("@/sandbox/server");
  const dataDir = await mkdtemp(path.join(tmpdir(), `atelier-${label}-`));
  const server = await startSandboxServer({
    port: await freePort(),
    host: "127.0.0.1",
    dataDir,
    testHooks: true,
    schedule: { pendingAfterMs: 50, finalAfterMs: 300, videoFinalAfterMs: 600, assetReadyAfterMs: 50 },
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
