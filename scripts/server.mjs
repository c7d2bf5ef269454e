// @ts-check
/**
 * Atelier's HTTP server: Next.js (`next({ dev })`) behind a small Node front that does what `next start` cannot.
 * `npm run dev` / `npm start` (scripts/run.mjs), the journeys' server and the Dockerfile all run this file.
 *
 * What it promises, for every request, before Next sees it:
 * - The client's address comes from the socket, or from a proxy listed in ATELIER_TRUSTED_PROXIES
 *   (lib/http/trusted-proxies.mjs). Forwarded headers from anyone else are removed, so `X-Forwarded-For`,
 *   `X-Forwarded-Host` and `X-Forwarded-Proto` cannot be forged. The address reaches the app in `x-atelier-client`
 *   together with a per-process token (lib/http/client-address.ts checks it), so a deployment that bypasses this file
 *   cannot be fooled by a client sending that header itself.
 * - Slow or endless clients are cut off: headers within 15 s, an idle socket after 30 s, the whole request within
 *   15 minutes (a large upload on a slow link), and a body that trickles in (under 2 KB/s over 10 s) is dropped.
 * - Malformed input that Next would answer with a 500 gets a 400 here: a path that is not valid percent-encoding or
 *   holds control characters (%00, %ff), and a server-action body that is not what React sends (not JSON, nested
 *   deeper than 64, or over the action body limit).
 * - Its latency is recorded under the route pattern Next will run (atelier_http_request_duration_seconds,
 *   lib/metrics/route-patterns.mjs): measured here because this is the one place that sees every request, Next's
 *   assets and the refusals above included, until its response's last byte.
 * - On SIGTERM/SIGINT it drains (lib/shutdown.mjs): readiness turns red at once, the listener stays open for
 *   ATELIER_SHUTDOWN_DELAY seconds (answers then say `Connection: close`), then closes while requests in flight finish;
 *   the job worker (lib/startup.ts) drains alongside, and the process exits within ATELIER_SHUTDOWN_TIMEOUT.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { clientAddress, parseTrustedProxies } from '../lib/http/trusted-proxies.mjs';
import { checkActionBody, checkPath, ACTION_BODY_LIMIT } from '../lib/http/request-guards.mjs';
import { methodLabel, metrics, statusLabel } from '../lib/metrics/registry.mjs';
import { routeClassifier } from '../lib/metrics/route-patterns.mjs';
import { httpServerDrain, installShutdownHandlers, isShuttingDown, onShutdown, parseShutdownTimings } from '../lib/shutdown.mjs';

const dev = process.argv.includes('--dev');
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || (dev ? 'localhost' : '0.0.0.0');

let trust;
let shutdownTimings;
try {
  trust = parseTrustedProxies(process.env.ATELIER_TRUSTED_PROXIES);
  shutdownTimings = parseShutdownTimings(process.env);
} catch (error) {
  console.error(`\n  ✖ ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}

// Shared with lib/http/client-address.ts through globalThis: same process, never sent to a client.
const token = randomBytes(16).toString('hex');
/** @type {any} */ (globalThis).__atelierClientToken = token;

const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded', 'x-real-ip'];
const CLIENT_HEADER = 'x-atelier-client';

// Owned from the start, so a signal during Next's preparation already follows the stop sequence (lib/shutdown.mjs).
installShutdownHandlers(shutdownTimings);

const app = next({ dev, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
const routeOf = routeClassifier({ dir, dev });
const { httpRequestDuration } = metrics();

/**
 * Records the request's latency under its route pattern (lib/metrics/route-patterns.mjs) when the response ends or
 * the connection drops.
 * @param {http.IncomingMessage} req @param {http.ServerResponse} res
 */
function timeRequest(req, res) {
  const startedAt = process.hrtime.bigint();
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    httpRequestDuration.observe({ route: routeOf(req.url ?? '/'), method: methodLabel(req.method), status: statusLabel(res.statusCode, res.writableFinished) }, seconds);
  });
}
const upgrade = dev ? app.getUpgradeHandler() : null;

/** @param {http.ServerResponse} res @param {number} status @param {string} message */
function refuse(res, status, message) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Connection: 'close' });
  res.end(JSON.stringify({ error: message }));
}

/** Drops a request body that arrives slower than MIN_RATE bytes per WINDOW_MS (checked on the socket's counter). */
const WINDOW_MS = 10_000;
const MIN_BYTES_PER_WINDOW = 20_000;
/** @param {http.IncomingMessage} req */
function watchBodyRate(req) {
  const socket = req.socket;
  let last = socket.bytesRead;
  const timer = setInterval(() => {
    if (req.complete || socket.destroyed) return clearInterval(timer);
    const now = socket.bytesRead;
    if (now - last < MIN_BYTES_PER_WINDOW) {
      clearInterval(timer);
      socket.destroy();
      return;
    }
    last = now;
  }, WINDOW_MS);
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once('end', stop);
  req.once('close', stop);
}

/**
 * Reads a server action's body (bounded), checks it, and hands Next an identical request carrying the same bytes.
 * @param {http.IncomingMessage} req
 * @returns {Promise<http.IncomingMessage | { status: number, message: string }>}
 */
async function replayCheckedActionBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > ACTION_BODY_LIMIT) return { status: 413, message: 'That request is too large.' };
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const problem = checkActionBody(String(req.headers['content-type'] ?? ''), body);
  if (problem) return { status: 400, message: problem };
  const copy = new http.IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}

const server = http.createServer(
  // Node checks these timeouts every connectionsCheckingInterval (30 s by default): every 2 s here, so they hold.
  { requestTimeout: 15 * 60_000, headersTimeout: 15_000, keepAliveTimeout: 5_000, maxHeaderSize: 32 * 1024, connectionsCheckingInterval: 2_000 },
  async (req, res) => {
    timeRequest(req, res);
    // Draining (lib/shutdown.mjs): answer, but tell the client and the proxy not to reuse this connection.
    if (isShuttingDown()) res.setHeader('Connection', 'close');
    try {
      const pathProblem = checkPath(req.url ?? '/');
      if (pathProblem) return refuse(res, 400, pathProblem);

      const { address, peerTrusted } = clientAddress({
        trust,
        socketAddress: req.socket.remoteAddress,
        forwardedFor: req.headers['x-forwarded-for'],
      });
      if (!peerTrusted) for (const name of FORWARDED) delete req.headers[name];
      req.headers[CLIENT_HEADER] = `${token} ${address}`;

      const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
      if (hasBody) watchBodyRate(req);

      if (req.method === 'POST' && req.headers['next-action']) {
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > ACTION_BODY_LIMIT) return refuse(res, 413, 'That request is too large.');
        const checked = await replayCheckedActionBody(req);
        if (!(checked instanceof http.IncomingMessage)) return refuse(res, checked.status, checked.message);
        return await handle(checked, res);
      }
      await handle(req, res);
    } catch (error) {
      console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'server: request failed', error: String(error) }));
      refuse(res, 500, 'Something went wrong on our side.');
    }
  },
);
// An idle connection (no bytes either way) is closed after 30 s.
server.timeout = 30_000;
// A request Node could not read: the same statuses Node itself would send. A timeout is a 408, not a 400: a browser
// resends a request that met a 408 on a reused keep-alive connection (the server's timer may fire just as it sends),
// where a 400 reached the page as a failed request.
server.on('clientError', (error, socket) => {
  if (!socket.writable) return socket.destroy();
  const code = /** @type {{ code?: string }} */ (error).code;
  const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  if (process.env.LOG_LEVEL === 'debug') console.log(JSON.stringify({ time: new Date().toISOString(), level: 'debug', msg: 'server: unreadable request', code, status }));
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
});
if (upgrade) server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));

server.listen(port, hostname, () => {
  const shown = hostname === '0.0.0.0' ? 'localhost' : hostname;
  console.log(`  ▲ Atelier ${dev ? '(development)' : ''} ready on http://${shown}:${port}`);
});

// SIGTERM / SIGINT (lib/shutdown.mjs): readiness turns red at once; the listener stays open ATELIER_SHUTDOWN_DELAY
// seconds (SIGTERM) so load balancers notice, then closes while requests in flight finish; lib/startup.ts drains the
// job worker alongside; the process exits when both are done, within ATELIER_SHUTDOWN_TIMEOUT.
onShutdown('http', httpServerDrain(server));
