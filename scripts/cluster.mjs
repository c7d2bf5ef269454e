// @ts-check
/**
 * `npm run cluster`: several Atelier instances behind nginx on this machine, for trying a team set-up locally and
 * for the cluster journeys (`npm run test:cluster`, e2e-cluster/).
 *
 *   npm run cluster -- [--instances 2] [--port 3080] [--storage local|s3] [--build] [--test]
 *
 * What it starts, in order, each as a child process it stops by pid on Ctrl+C (SIGINT) or SIGTERM:
 * 1. PostgreSQL: the embedded cluster (.data/postgres, database `atelier_cluster`), migrated the way `npm start`
 *    does, the instances connecting as its least-privilege role. With DATABASE_URL set, that database is used as is
 *    (migrate it first: `npm run db:migrate`). `--test`: a fresh `atelier_cluster` in the test cluster.
 * 2. Media storage, shared by every instance: `local` (default) is one MEDIA_DIR on this machine's disk, which works
 *    because every instance runs here; `s3` is an S3 bucket: the S3_* variables when S3_BUCKET is set, else a
 *    Swift S3 store on loopback started by scripts/lib/swift.mjs.
 * 3. One standalone sandbox provider (sandbox/server.ts, test hooks on, loopback), so every instance talks to the
 *    same provider over HTTP, like a real one, and its call log counts every create whichever instance sent it. The
 *    instances run with the built-in sandbox off: a workspace connects by entering any key in Settings → Providers
 *    (the sandbox opens an account for it).
 * 4. N instances of the production build (scripts/server.mjs, as `npm start` runs it) on ports port+1 … port+N,
 *    sharing AUTH_SECRET, ATELIER_MASTER_KEY, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY and the build's deployment id
 *    (docs/deploy.md says why each must be equal everywhere), each waited for until it is ready: /api/health/ready
 *    where the build has it, else /sign-in.
 * 5. nginx (Debian's package) with a generated configuration (scripts/lib/nginx-config.mjs) on port `--port`, started
 *    last, so the proxy answering means every instance is ready.
 *
 * An instance that dies is reported and not restarted: the others carry on (that is what the cluster shows). The
 * layout of the running cluster (ports, pids, URLs, media folder) is written to <data dir>/cluster.json for tests.
 *
 * `--build` first runs `next build` with the cluster's NEXT_SERVER_ACTIONS_ENCRYPTION_KEY and NEXT_DEPLOYMENT_ID
 * (both are build-time settings). `--test` is for the cluster journeys: fresh data in .data/cluster-test, generous
 * sign-up limits, and nginx's instance-pinning header (X-Atelier-Instance).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nextEnv from '@next/env';
import { resolveMigrationTarget } from './lib/db-roles.mjs';
import { DATA_DIR, REPO_ROOT, openTestDatabase, startEmbeddedDatabase } from './lib/dev-database.mjs';
import { pgPortFromEnv } from './lib/embedded-postgres.mjs';
import { MIGRATIONS_DIR, applyMigrations } from './lib/migrations.mjs';
import { nginxConfig } from './lib/nginx-config.mjs';

/** @param {string} message */
function fail(message) {
  console.error(`\n  ✖ ${message}\n`);
  process.exit(1);
}

/**
 * @param {string[]} argv
 * @returns {{ instances: number, port: number, storage: 'local' | 's3', build: boolean, test: boolean }}
 */
export function parseClusterArgs(argv) {
  const options = { instances: 2, port: 3080, storage: /** @type {'local' | 's3'} */ ('local'), build: false, test: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--instances') options.instances = Number(value());
    else if (arg === '--port') options.port = Number(value());
    else if (arg === '--storage') {
      const storage = value();
      if (storage !== 'local' && storage !== 's3') throw new Error('--storage is local or s3');
      options.storage = storage;
    } else if (arg === '--build') options.build = true;
    else if (arg === '--test') options.test = true;
    else throw new Error(`unknown argument ${arg} (usage: npm run cluster -- [--instances 2] [--port 3080] [--storage local|s3] [--build] [--test])`);
  }
  if (!Number.isInteger(options.instances) || options.instances < 1 || options.instances > 6) throw new Error('--instances is a whole number from 1 to 6');
  // The proxy, the instances, the sandbox and a local S3 store take port … port + instances + 2.
  if (!Number.isInteger(options.port) || options.port < 1024 || options.port + options.instances + 2 > 65535) throw new Error('--port must leave room for the instances above it');
  return options;
}

/** Instance names: a, b, c … (the pinning header's values in test mode). */
export const instanceName = (/** @type {number} */ index) => String.fromCharCode(97 + index);

/**
 * What the build was made with, read from its output: the deployment id (routes-manifest.json) and the server
 * actions key (server-reference-manifest.json). Instances must run with exactly these.
 * @param {string} distDir
 */
export function readBuildIdentity(distDir) {
  const read = (/** @type {string} */ file) => {
    try {
      return JSON.parse(readFileSync(path.join(distDir, file), 'utf8'));
    } catch {
      return null;
    }
  };
  const routes = read('routes-manifest.json');
  const actions = read(path.join('server', 'server-reference-manifest.json'));
  return {
    buildId: existsSync(path.join(distDir, 'BUILD_ID')) ? readFileSync(path.join(distDir, 'BUILD_ID'), 'utf8').trim() : null,
    deploymentId: typeof routes?.deploymentId === 'string' && routes.deploymentId ? routes.deploymentId : null,
    actionsKey: typeof actions?.encryptionKey === 'string' ? actions.encryptionKey : null,
  };
}

/**
 * The secrets every instance shares: from the environment when set, else generated once into `file` (mode 0600), so
 * sessions and stored provider keys survive a restart of the cluster.
 * @param {string} file
 */
function sharedSecrets(file) {
  /** @type {Record<string, string>} */
  let stored = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    stored = {};
  }
  const secrets = {
    AUTH_SECRET: process.env.AUTH_SECRET || stored.AUTH_SECRET || randomBytes(32).toString('base64'),
    ATELIER_MASTER_KEY: process.env.ATELIER_MASTER_KEY || stored.ATELIER_MASTER_KEY || randomBytes(32).toString('base64'),
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY:
      process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY || stored.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY || randomBytes(32).toString('base64'),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * Waits until an instance is ready: /api/health/ready answering 200 when the build has that route, else /sign-in.
 * @param {string} origin
 * @param {() => boolean} alive
 * @param {number} timeoutMs
 */
async function waitReady(origin, alive, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  /** @type {string | null} */
  let probe = null;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`${origin} exited before it was ready`);
    try {
      if (probe === null) {
        const ready = await fetch(`${origin}/api/health/ready`, { signal: AbortSignal.timeout(5000) });
        await ready.body?.cancel();
        // A 404 from a running server means this build has no readiness route.
        probe = ready.status === 404 ? '/sign-in' : '/api/health/ready';
        if (ready.ok) return;
      } else {
        const answer = await fetch(`${origin}${probe}`, { signal: AbortSignal.timeout(5000) });
        await answer.body?.cancel();
        if (answer.ok) return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${origin} was not ready within ${timeoutMs / 1000} s`);
}

/**
 * The media store's environment for the instances.
 * @param {'local' | 's3'} storage
 * @param {string} dataDir
 * @param {number} port a free port for a local S3 store
 * @param {(stop: () => Promise<void>) => void} onStop
 * @returns {Promise<{ env: Record<string, string>, description: string, mediaDir: string | null }>}
 */
async function startStorage(storage, dataDir, port, onStop) {
  if (storage === 'local') {
    const mediaDir = path.join(dataDir, 'media');
    mkdirSync(mediaDir, { recursive: true });
    return { env: { MEDIA_DIR: mediaDir }, description: `local disk, shared: ${path.relative(REPO_ROOT, mediaDir)}`, mediaDir };
  }
  const bucket = process.env.S3_BUCKET || 'atelier-cluster';
  if (process.env.S3_BUCKET) {
    // An existing bucket (AWS S3, R2, SeaweedFS, Garage ...): the instances inherit the S3_* variables as they are.
    return { env: { STORAGE_DRIVER: 's3' }, description: `S3 bucket ${bucket} (from S3_* variables)`, mediaDir: null };
  }
  // Swift's S3 API on loopback (the object-store harness the S3 tests use), with a bucket of our own.
  // Loaded by name at run time: only `--storage s3` without S3_BUCKET needs the harness and the AWS SDK.
  const swiftModule = './lib/swift.mjs';
  const sdkModule = '@aws-sdk/client-s3';
  const { startSwift } = await import(swiftModule);
  const swift = await startSwift({ dir: path.join(dataDir, 'swift'), port });
  onStop(() => swift.stop());
  const { S3Client, CreateBucketCommand } = await import(sdkModule);
  const client = new S3Client({
    endpoint: swift.endpoint,
    region: swift.region,
    forcePathStyle: true,
    credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = /** @type {{ name?: string }} */ (error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  } finally {
    client.destroy();
  }
  return {
    env: {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: bucket,
      S3_REGION: swift.region,
      S3_ENDPOINT: swift.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: swift.accessKeyId,
      S3_SECRET_ACCESS_KEY: swift.secretAccessKey,
    },
    description: `S3 bucket ${bucket} on a local Swift store (${swift.endpoint})`,
    mediaDir: null,
  };
}

/** @param {NodeJS.ProcessEnv} env */
function s3Layout(env) {
  return {
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  };
}

async function main() {
  let options;
  try {
    options = parseClusterArgs(process.argv.slice(2));
  } catch (error) {
    fail(/** @type {Error} */ (error).message);
    return;
  }
  nextEnv.loadEnvConfig(REPO_ROOT, false, { info: () => {}, error: console.error });
  process.env.NEXT_TELEMETRY_DISABLED = '1';

  const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));
  if (!nginxBinary) fail('nginx is not installed: apt-get install -y --no-install-recommends nginx (Debian\'s package; only its binary is used).');

  const dataDir = path.join(DATA_DIR, options.test ? 'cluster-test' : 'cluster');
  if (options.test) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const secrets = sharedSecrets(path.join(dataDir, 'secrets.json'));
  const distDir = path.join(REPO_ROOT, '.next');

  if (options.build) {
    const deploymentId = process.env.NEXT_DEPLOYMENT_ID || `cluster-${Date.now().toString(36)}`;
    console.log(`  • Building with the cluster's server actions key and deployment id ${deploymentId}`);
    const built = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production', NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: secrets.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY, NEXT_DEPLOYMENT_ID: deploymentId },
    });
    if (built.status !== 0) fail('next build failed');
  }
  const build = readBuildIdentity(distDir);
  if (!build.buildId) fail('There is no production build: run `npm run build` first (or add --build).');
  // Both are fixed when the build is made; an instance given another value than its build would disagree with the
  // browser code it serves (a deployment id that differs reloads every page; see docs/deploy.md).
  if (process.env.NEXT_DEPLOYMENT_ID && process.env.NEXT_DEPLOYMENT_ID !== (build.deploymentId ?? '')) {
    fail(`NEXT_DEPLOYMENT_ID is ${process.env.NEXT_DEPLOYMENT_ID} but the build was made with ${build.deploymentId ?? 'none'}: rebuild with it (or add --build).`);
  }
  const actionsKey = build.actionsKey ?? secrets.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY;
  if (process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY && build.actionsKey && process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY !== build.actionsKey) {
    fail('NEXT_SERVER_ACTIONS_ENCRYPTION_KEY differs from the key the build was made with: rebuild with it (or add --build).');
  }

  const proxyPort = options.port;
  const instancePorts = Array.from({ length: options.instances }, (_, i) => proxyPort + 1 + i);
  const sandboxPort = proxyPort + options.instances + 1;
  const storagePort = proxyPort + options.instances + 2;
  const origin = `http://127.0.0.1:${proxyPort}`;

  /** @type {(() => Promise<void>)[]} stoppers, run in reverse order */
  const stops = [];
  /** @type {Set<import('node:child_process').ChildProcess>} */
  const children = new Set();
  let stopping = false;
  const stopAll = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    console.log('  • Stopping the cluster');
    // Every child gets its SIGTERM now, by pid: the embedded PostgreSQL's own signal handler (async-exit-hook) may end
    // this process as soon as the database is down, and nothing must be left running then.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(`  ! ${error instanceof Error ? error.message : error}`));
    process.exit(code);
  };
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(signal, () => void stopAll(0));

  /**
   * Starts a child whose output goes, prefixed with its name, to this console and to <dataDir>/<name>.log; stopped by
   * pid with SIGTERM, then SIGKILL after `graceMs`.
   * @param {string} name @param {string[]} args @param {NodeJS.ProcessEnv} env @param {number} [graceMs]
   */
  const startChild = (name, args, env, graceMs = 20_000) => {
    const [command, ...rest] = args;
    const child = spawn(/** @type {string} */ (command), rest, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(path.join(dataDir, `${name}.log`), { flags: 'a' });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk) => {
        log.write(chunk);
        for (const line of String(chunk).split('\n')) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
      });
    }
    children.add(child);
    child.on('exit', (code, signal) => {
      if (!stopping) console.log(`  ! ${name} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); the rest of the cluster carries on`);
    });
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    };
    return { child, stop };
  };

  try {
    // 1. PostgreSQL
    /** @type {string} */
    let databaseUrl;
    if (options.test) {
      const database = await openTestDatabase('atelier_cluster');
      stops.push(() => database.close());
      databaseUrl = database.url;
    } else if (process.env.DATABASE_URL) {
      databaseUrl = process.env.DATABASE_URL;
      const target = resolveMigrationTarget(process.env);
      if (!target?.appRole) console.warn('  ! DATABASE_URL is used as is: run `npm run db:migrate` before starting new instances.');
    } else {
      const database = await startEmbeddedDatabase({ dataDir: path.join(DATA_DIR, 'postgres'), port: pgPortFromEnv(54330), database: 'atelier_cluster' });
      stops.push(() => database.stop());
      const applied = await applyMigrations({ databaseUrl: database.ownerUrl, migrationsDir: MIGRATIONS_DIR, appRole: database.appRole });
      if (applied.length > 0) console.log(`  • Applied ${applied.length} migration(s)`);
      databaseUrl = database.appUrl;
      console.log(`  • Embedded PostgreSQL on port ${database.port}, database atelier_cluster`);
    }

    // 2. Media storage
    const storage = await startStorage(options.storage, dataDir, storagePort, (stop) => stops.push(stop));
    console.log(`  • Media: ${storage.description}`);

    // 3. The provider sandbox
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const { child: sandbox, stop: stopSandbox } = startChild(
      'sandbox',
      [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'sandbox', 'server.ts'), '--port', String(sandboxPort), '--host', '127.0.0.1', '--data-dir', path.join(dataDir, 'sandbox'), '--test-hooks'],
      { ...process.env },
    );
    stops.push(stopSandbox);
    for (let i = 0; ; i++) {
      const up = await fetch(`${sandboxUrl}/rendernet/pub/v1/models`, { headers: { 'X-API-KEY': 'cluster-probe' } }).then((r) => r.ok, () => false);
      if (up) break;
      if (i > 200 || sandbox.exitCode !== null) throw new Error('the sandbox provider did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // 4. The instances
    /** @type {NodeJS.ProcessEnv} */
    const common = {
      ...process.env,
      ...storage.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: secrets.AUTH_SECRET,
      ATELIER_MASTER_KEY: secrets.ATELIER_MASTER_KEY,
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: actionsKey,
      ...(build.deploymentId ? { NEXT_DEPLOYMENT_ID: build.deploymentId } : {}),
      AUTH_TRUST_HOST: 'true',
      AUTH_URL: origin,
      PUBLIC_URL: origin,
      HOSTNAME: '127.0.0.1',
      // nginx on this machine is the only way in (the instances listen on loopback), and it overwrites X-Forwarded-For.
      ATELIER_TRUSTED_PROXIES: '127.0.0.1',
      // One provider for every instance: the standalone sandbox, reached like a real provider over HTTP.
      ATELIER_SANDBOX: 'off',
      RENDERNET_BASE_URL: `${sandboxUrl}/rendernet`,
      QOLABA_BASE_URL: `${sandboxUrl}/qolaba`,
      ATELIER_OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32',
      ...(options.test ? { ATELIER_SIGNUPS_PER_HOUR: '1000', ATELIER_SIGN_INS_PER_ADDRESS: '1000', LOG_LEVEL: 'debug' } : {}),
    };
    const instances = instancePorts.map((port, index) => {
      const name = instanceName(index);
      const { child, stop } = startChild(`instance-${name}`, [process.execPath, path.join(REPO_ROOT, 'scripts', 'server.mjs')], { ...common, PORT: String(port) });
      return { name, port, child, stop, url: `http://127.0.0.1:${port}` };
    });
    // Stopped together: each drains its requests and hands back its jobs on SIGTERM.
    stops.push(async () => void (await Promise.all(instances.map((i) => i.stop()))));
    await Promise.all(instances.map((i) => waitReady(i.url, () => i.child.exitCode === null && i.child.signalCode === null)));

    // 5. nginx, last: the proxy answering means every instance is ready.
    const nginxDir = path.join(dataDir, 'nginx');
    mkdirSync(nginxDir, { recursive: true });
    writeFileSync(path.join(nginxDir, 'nginx.conf'), nginxConfig({ dir: nginxDir, port: proxyPort, instances, pinHeader: options.test }));
    const { child: nginx, stop: stopNginx } = startChild('nginx', [/** @type {string} */ (nginxBinary), '-c', path.join(nginxDir, 'nginx.conf'), '-p', nginxDir, '-e', path.join(nginxDir, 'error.log')], { ...process.env }, 5_000);
    stops.push(stopNginx);
    for (let i = 0; ; i++) {
      const up = await fetch(`${origin}/sign-in`).then((r) => r.ok, () => false);
      if (up) break;
      if (i > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: see ${path.relative(REPO_ROOT, path.join(nginxDir, 'error.log'))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const layout = {
      proxy: origin,
      instances: instances.map(({ name, port, child, url }) => ({ name, port, pid: child.pid, url })),
      sandbox: { url: sandboxUrl, pid: sandbox.pid },
      nginx: { pid: nginx.pid },
      storage: options.storage,
      mediaDir: storage.mediaDir,
      // Test mode: where the journeys count stored objects when media is in a bucket.
      s3: options.test && storage.env.STORAGE_DRIVER === 's3' ? s3Layout({ ...process.env, ...storage.env }) : null,
      databaseUrl,
      authSecret: options.test ? secrets.AUTH_SECRET : undefined,
    };
    writeFileSync(path.join(dataDir, 'cluster.json'), JSON.stringify(layout, null, 2), { mode: 0o600 });
    console.log(`\n  ▲ Atelier cluster ready on ${origin}: ${instances.map((i) => `${i.name} :${i.port}`).join(', ')}; sandbox provider ${sandboxUrl}`);
    console.log('    Connect a workspace in Settings → Providers with any key (the sandbox opens an account for it). Ctrl+C stops everything.\n');
  } catch (error) {
    console.error(`\n  ✖ ${error instanceof Error ? error.message : error}\n`);
    await stopAll(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
