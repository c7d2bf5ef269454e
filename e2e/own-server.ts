import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { openTestDatabase } from "../scripts/lib/dev-database.mjs";

/**
 * A throwaway instance of the production build (scripts/server.mjs) with its own database, sandbox data and media, for
 * journeys that kill or stop a server (e2e/restart.spec.ts, e2e/graceful-stop.spec.ts) without touching the shared
 * one. `start()` spawns it and resolves once `readyPath` answers 2xx; it can be called again after the process ended.
 */
export async function ownServer({
  name,
  authSecret,
  env: extra = {},
  readyPath = "/sign-in",
}: {
  name: string;
  authSecret: string;
  env?: Record<string, string>;
  readyPath?: string;
}) {
  const database = await openTestDatabase(`atelier_${name}`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), `atelier-${name}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    AUTH_SECRET: authSecret,
    AUTH_TRUST_HOST: "true",
    AUTH_URL: origin,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    PUBLIC_URL: origin,
    ATELIER_SANDBOX: "on",
    SANDBOX_TEST_HOOKS: "true",
    ATELIER_TEST_SERVER: "true",
    SANDBOX_DATA_DIR: path.join(dataDir, "sandbox"),
    MEDIA_DIR: path.join(dataDir, "media"),
    ...extra,
  };
  let log = "";
  const start = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [path.resolve("scripts/server.mjs")], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${origin}${readyPath}`).then((r) => r.ok).catch(() => false);
      if (ok) return child;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`server did not become ready:\n${log}`);
  };
  return { database, origin, start, log: () => log };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
