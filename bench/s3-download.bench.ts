import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { expect, it } from "vitest";
import { downloadStored, streamStored } from "@/lib/media/http";
import { S3Storage } from "@/lib/storage/s3";
import { startSwift } from "@/scripts/lib/swift.mjs";

/**
 * Downloads from an object store: stream the bytes through the app, or redirect the browser to a presigned GET?
 * Both paths are the app's real functions (`streamStored`, `downloadStored` from lib/media/http.ts) behind a plain
 * Node HTTP server in this process, with media in OpenStack Swift's S3 API on loopback (scripts/lib/swift.mjs). The
 * client is curl in its own process (following the redirect), so this process's CPU time is the app's alone.
 * Per download: time to the first byte and to the last as curl sees them, and the app's CPU time (user + system).
 * A third path, `direct` (curl fetches a presigned link made beforehand; the app does nothing), measures what this
 * process spends anyway while a download runs (the test runner, garbage collection of earlier rounds): the floor.
 * The paths alternate ROUNDS times, in a rotating order, so load from elsewhere on a shared machine and collections
 * of an earlier round's garbage fall on all of them alike; medians.
 *
 * Run: npm run bench:s3-download   (figures also written to bench/results/s3-download.json)
 */
const SIZE = 20 * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const KEY = "ws/bench/gen/g/download.mp4";

type Sample = { firstByteMs: number; totalMs: number; bytes: number; appCpuMs: number };

function curl(url: string): Promise<{ firstByteMs: number; totalMs: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    execFile("curl", ["-s", "-L", "-o", "/dev/null", "-w", "%{time_starttransfer} %{time_total} %{size_download}", url], (error, stdout) => {
      if (error) return reject(error);
      const [first, total, bytes] = stdout.trim().split(" ").map(Number);
      resolve({ firstByteMs: first! * 1000, totalMs: total! * 1000, bytes: bytes! });
    });
  });
}

async function answer(req: IncomingMessage, res: ServerResponse) {
  const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method });
  const response = req.url === "/stream"
    ? await streamStored(request, KEY, { immutable: true, filename: "download.mp4", disposition: "attachment" })
    : await downloadStored(request, KEY, "download.mp4");
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) Readable.fromWeb(response.body as never).pipe(res);
  else res.end();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

it("measures a 20 MB download streamed through the app against a redirect to a presigned link", async () => {
  const swift = await startSwift();
  const server = createServer((req, res) => void answer(req, res).catch((error) => res.destroy(error)));
  try {
    const store = new S3Storage({ bucket: "atelier-bench", region: swift.region, endpoint: swift.endpoint, forcePathStyle: true, credentials: swift });
    await store.client.send(new CreateBucketCommand({ Bucket: "atelier-bench" }));
    await store.put(KEY, new Uint8Array(randomBytes(SIZE)), { contentType: "video/mp4" });
    // The routes' storage() is this store.
    (globalThis as unknown as { atelierStorage?: S3Storage }).atelierStorage = store;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const paths = ["stream", "redirect", "direct"] as const;
    const samples: Record<(typeof paths)[number], Sample[]> = { stream: [], redirect: [], direct: [] };
    for (let round = 0; round <= ROUNDS; round++) {
      for (let i = 0; i < paths.length; i++) {
        const path = paths[(round + i) % paths.length]!;
        const url = path === "direct" ? await store.presignedGetUrl(KEY, { expiresInSeconds: 300 }) : `${base}/${path}`;
        const cpu = process.cpuUsage();
        const result = await curl(url);
        const used = process.cpuUsage(cpu);
        expect(result.bytes).toBe(SIZE);
        if (round > 0) samples[path].push({ ...result, appCpuMs: (used.user + used.system) / 1000 }); // round 0 warms up
      }
    }
    const summary = (list: Sample[]) => ({
      firstByteMs: Math.round(median(list.map((s) => s.firstByteMs)) * 10) / 10,
      totalMs: Math.round(median(list.map((s) => s.totalMs))),
      appCpuMs: Math.round(median(list.map((s) => s.appCpuMs)) * 10) / 10,
      bytesThroughApp: list === samples.stream ? SIZE : 0,
      samples: list.length,
    });
    const figures = {
      sizeBytes: SIZE,
      rounds: ROUNDS,
      loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
      stream: summary(samples.stream),
      redirect: summary(samples.redirect),
      direct: summary(samples.direct),
    };
    console.log(JSON.stringify(figures, null, 2));
    writeFileSync("bench/results/s3-download.json", `${JSON.stringify({ measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
  } finally {
    server.close();
    await swift.stop();
  }
});
