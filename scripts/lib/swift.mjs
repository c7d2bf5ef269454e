// @ts-check
/**
 * A real S3-compatible object store for tests and local trials: OpenStack Swift with its S3 API (s3api), from Debian's
 * packages, one replica, on loopback only. Not a fake: it checks SigV4 signatures, presigned URLs' expiry, ranges and
 * multipart uploads the way a real store does (docs: ../shared/platform-notes.md, "A real S3-compatible object store").
 *
 * Contract of startSwift({ dir, port }):
 * - `dir` (optional): the folder that holds everything (configuration, rings, the object data, `swift.log`). Given,
 *   it is created if needed and kept after stop() (its logs help a failed test); omitted, a new temporary folder is
 *   made and removed by stop().
 * - `port` (optional): the S3 endpoint's port on 127.0.0.1; omitted, a free one. The account, container and object
 *   servers take free ports of their own. Nothing listens on another address.
 * - Starts four child processes (proxy with s3api and tempauth, account, container, object server), each one process
 *   (`workers = 0`), and resolves once a signed S3 request (ListBuckets) succeeds: a cold start takes 3-10 s, up to
 *   120 s is allowed on a loaded machine (about 60 s seen at a load average of 15). A child that exits before that
 *   rejects the promise with the end of its log.
 * - `buckets` (optional): bucket names to create once it answers (an existing one is kept, with its objects).
 * - Resolves to { endpoint, region, accessKeyId, secretAccessKey, stop() }: `endpoint` is `http://127.0.0.1:<port>`,
 *   clients must use path-style addressing (`forcePathStyle: true`). The app's settings for it:
 *   STORAGE_DRIVER=s3 S3_ENDPOINT=<endpoint> S3_REGION=<region> S3_FORCE_PATH_STYLE=true
 *   S3_ACCESS_KEY_ID=<accessKeyId> S3_SECRET_ACCESS_KEY=<secretAccessKey> S3_BUCKET=<one of `buckets`>.
 * - stop() ends the children by their pids (SIGTERM, SIGKILL after 5 s) and removes a temporary `dir`. The children
 *   are also killed (SIGKILL) when this process exits; a SIGKILLed parent leaves them running (they hold only loopback
 *   ports and the folder).
 * - Swift not installed: throws an Error whose message names the apt-get command that installs it.
 * Multi-object delete (DeleteObjects) needs a Content-MD5 header that current AWS SDKs no longer send: delete one by one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SWIFT_INSTALL_COMMAND =
  'apt-get install -y --no-install-recommends swift swift-proxy swift-object swift-container swift-account python3-swift';

const ACCESS_KEY_ID = 'test:tester';
const SECRET_ACCESS_KEY = 'testing';
const REGION = 'us-east-1';
const READY_TIMEOUT_MS = 120_000;

/** @returns {Promise<number>} a port free on 127.0.0.1 right now */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** @param {string} command */
function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * @param {{ dir: string, port: number, user: string }} where
 * @param {string} kind account | container | object
 */
function storageServerConf({ dir, port, user }, kind) {
  return `[DEFAULT]
devices = ${path.join(dir, 'devices')}
mount_check = false
disable_fallocate = true
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
user = ${user}
swift_dir = ${dir}
log_level = WARNING

[pipeline:main]
pipeline = ${kind}-server

[app:${kind}-server]
use = egg:swift#${kind}

[${kind}-replicator]
[${kind}-auditor]
${kind === 'account' ? '[account-reaper]' : `[${kind}-updater]`}
`;
}

/** @param {{ dir: string, port: number, user: string }} where */
function proxyConf({ dir, port, user }) {
  // s3api turns multipart uploads off unless slo is in the pipeline; tempauth's user is the S3 access key
  // `test:tester` with secret `testing`. Without a memcached the cache filter logs an error per request, harmlessly.
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
user = ${user}
swift_dir = ${dir}
log_level = WARNING

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = ${REGION}

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = ${SECRET_ACCESS_KEY} .admin

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo
`;
}

/**
 * @param {{ dir?: string, port?: number, buckets?: string[] }} [options]
 * @returns {Promise<{ endpoint: string, region: string, accessKeyId: string, secretAccessKey: string, stop: () => Promise<void> }>}
 */
export async function startSwift(options = {}) {
  if (!onPath('swift-proxy-server') || !onPath('swift-ring-builder')) {
    throw new Error(`OpenStack Swift is not installed (swift-proxy-server is not on PATH): install it with \`${SWIFT_INSTALL_COMMAND}\` (as root).`);
  }
  const temporary = !options.dir;
  const dir = options.dir ? path.resolve(options.dir) : mkdtempSync(path.join(os.tmpdir(), 'atelier-swift-'));
  mkdirSync(path.join(dir, 'devices', 'sdb1'), { recursive: true });
  const user = os.userInfo().username;
  const proxyPort = options.port ?? (await freePort());
  const ports = { account: await freePort(), container: await freePort(), object: await freePort() };

  writeFileSync(
    path.join(dir, 'swift.conf'),
    `[swift-hash]\nswift_hash_path_prefix = atelier-test\nswift_hash_path_suffix = atelier-test\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n`,
  );
  for (const [kind, port] of Object.entries(ports)) {
    const builder = path.join(dir, `${kind}.builder`);
    // Part power 10, one replica, one device: the ring files (<kind>.ring.gz) land next to the builder, in swift_dir.
    for (const args of [['create', '10', '1', '1'], ['add', `r1z1-127.0.0.1:${port}/sdb1`, '1'], ['rebalance']]) {
      const result = spawnSync('swift-ring-builder', [builder, ...args], { encoding: 'utf8' });
      // rebalance exits 1 with a warning on a one-device ring; the ring is written all the same.
      if (result.status !== 0 && !(args[0] === 'rebalance' && result.status === 1)) {
        throw new Error(`swift-ring-builder ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
      }
    }
    writeFileSync(path.join(dir, `${kind}-server.conf`), storageServerConf({ dir, port, user }, kind));
  }
  writeFileSync(path.join(dir, 'proxy-server.conf'), proxyConf({ dir, port: proxyPort, user }));

  const logFile = path.join(dir, 'swift.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  /** @type {string | null} */
  let exited = null;
  for (const kind of ['account', 'container', 'object', 'proxy']) {
    const child = spawn(`swift-${kind}-server`, [path.join(dir, `${kind}-server.conf`), '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('exit', (code, signal) => {
      exited ??= `swift-${kind}-server exited (${signal ?? `code ${code}`})`;
    });
    children.push(child);
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killAll);
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve(undefined);
            const timer = setTimeout(() => {
              try {
                if (child.pid) process.kill(child.pid, 'SIGKILL');
              } catch {
                // already gone
              }
            }, 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve(undefined);
            });
            try {
              if (child.pid) process.kill(child.pid, 'SIGTERM');
            } catch {
              clearTimeout(timer);
              resolve(undefined);
            }
          }),
      ),
    );
    log.end();
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };

  const endpoint = `http://127.0.0.1:${proxyPort}`;
  const { S3Client, ListBucketsCommand, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  /** @type {unknown} */
  let lastError = null;
  try {
    for (;;) {
      if (exited) throw new Error(`${exited} while starting; the end of ${logFile}:\n${tail(logFile)}`);
      try {
        const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
        for (const name of options.buckets ?? []) {
          if (!Buckets.some((bucket) => bucket.Name === name)) await client.send(new CreateBucketCommand({ Bucket: name }));
        }
        break;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        throw new Error(`Swift's S3 API on ${endpoint} did not answer a signed request within ${READY_TIMEOUT_MS / 1000} s ` +
          `(${lastError instanceof Error ? lastError.message : String(lastError)}); the end of ${logFile}:\n${tail(logFile)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, region: REGION, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, stop };
}

/** @param {string} file */
function tail(file) {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
}
