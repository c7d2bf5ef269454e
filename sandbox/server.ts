/**
 * Standalone sandbox: a node:http server adapting to the fetch handler.
 *   npx tsx sandbox/server.ts --port 4100 [--host 127.0.0.1] [--data-dir DIR] [--test-hooks] [--fast]
 * A handler that throws (the lost_response fault, or a bug) gets its socket destroyed without an answer; a body that
 * fails midway (the cut_off fault) gets it destroyed after the part already sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { createSandboxHandler, type SandboxHandler } from "./handler";
import { FAST_SCHEDULE, type Schedule } from "./types";

export interface SandboxServerOptions {
  port: number;
  host?: string;
  dataDir?: string;
  testHooks?: boolean;
  schedule?: Partial<Schedule>;
  basePath?: string;
  startingCredits?: number;
}

export interface SandboxServer {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = path.resolve(import.meta.dirname, "..", ".data", "sandbox");

function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    signal,
    // Required by undici for streamed request bodies.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Wait until each chunk is handed to the socket: a body that fails later (the cut_off fault) must still have
    // delivered its first part before the socket is destroyed.
    await new Promise<void>((resolve, reject) => res.write(value, (error) => (error ? reject(error) : resolve())));
  }
  res.end();
}

export function nodeListener(handler: SandboxHandler, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    void (async () => {
      try {
        const response = await handler(toRequest(req, origin(), controller.signal));
        await writeResponse(response, res);
      } catch {
        // Lost response (or a crash): the client sees the connection drop without an answer.
        req.socket.destroy();
      }
    })();
  };
}

export async function startSandboxServer(opts: SandboxServerOptions): Promise<SandboxServer> {
  const host = opts.host ?? "127.0.0.1";
  const handler = createSandboxHandler({
    dataDir: opts.dataDir ?? DEFAULT_DATA_DIR,
    basePath: opts.basePath ?? "",
    testHooks: opts.testHooks ?? false,
    schedule: opts.schedule,
    startingCredits: opts.startingCredits,
  });
  let origin = `http://${host}:${opts.port}`;
  const server = createServer(nodeListener(handler, () => origin));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${shownHost}:${address.port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function parseArgs(argv: string[]): SandboxServerOptions {
  const options: SandboxServerOptions = { port: 4100 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      return value;
    };
    if (arg === "--port") options.port = Number(next());
    else if (arg === "--host") options.host = next();
    else if (arg === "--data-dir") options.dataDir = path.resolve(next());
    else if (arg === "--test-hooks") options.testHooks = true;
    else if (arg === "--fast") options.schedule = FAST_SCHEDULE;
    else if (arg === "--base-path") options.basePath = next();
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const options = parseArgs(process.argv.slice(2));
  const server = await startSandboxServer(options);
  console.log(`Sandbox provider listening on ${server.url}`);
  console.log(`  RenderNet: ${server.url}${options.basePath ?? ""}/rendernet   Qolaba: ${server.url}${options.basePath ?? ""}/qolaba`);
  console.log(`  data: ${options.dataDir ?? DEFAULT_DATA_DIR}${options.testHooks ? "   test hooks: on" : ""}${options.schedule ? "   schedule: fast" : ""}`);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
