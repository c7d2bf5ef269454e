import net from "node:net";
import { expect, test } from "./support";

/**
 * Slow and endless clients are cut off by the server front (scripts/server.mjs): headers must arrive within 15 s, and
 * a body that trickles in (under 2 KB/s over 10 s) is dropped. 40 such connections at once, each measured from its
 * first byte to the server closing it.
 */

function origin(baseURL: string | undefined) {
  const url = new URL(baseURL ?? "http://127.0.0.1:3100");
  return { host: url.hostname, port: Number(url.port) };
}

/** Opens a connection, sends `first`, then one more byte every second; resolves with the seconds until the server closed it. */
function trickle(target: { host: string; port: number }, first: string, drip: string, giveUpMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(target, () => socket.write(first));
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip);
    }, 1000);
    const done = () => {
      clearInterval(timer);
      resolve((Date.now() - started) / 1000);
    };
    socket.on("close", done);
    socket.on("error", () => undefined);
    socket.on("data", () => undefined);
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server kept a slow connection open for ${giveUpMs / 1000} s`));
    }, giveUpMs).unref();
  });
}

test("slow headers and trickling bodies are cut off, 40 connections at once", async ({ baseURL }) => {
  test.setTimeout(90_000);
  const target = origin(baseURL);
  const slowHeaders = Array.from({ length: 20 }, () => trickle(target, "GET /sign-in HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n", 45_000));
  const slowBodies = Array.from({ length: 20 }, () =>
    trickle(target, "POST /api/w/nowhere/assets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n", "1\r\nx\r\n", 45_000),
  );
  const headerTimes = await Promise.all(slowHeaders);
  const bodyTimes = await Promise.all(slowBodies);
  for (const seconds of headerTimes) expect(seconds).toBeLessThan(25);
  for (const seconds of bodyTimes) expect(seconds).toBeLessThan(35);

  // The server still answers everyone else.
  const response = await fetch(`${baseURL}/sign-in`);
  expect(response.status).toBe(200);
});
