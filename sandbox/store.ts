import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AccountState, Provider } from "./types";

/** Accounts are stored under the SHA-256 of provider + key: the key itself never touches the disk. */
export function hashKey(provider: Provider, key: string): string {
  return createHash("sha256").update(`${provider}\0${key}`).digest("hex");
}

export function randomId(prefix: string, bytes = 10): string {
  return `${prefix}${randomBytes(bytes).toString("hex")}`;
}

const locks = new Map<string, Promise<unknown>>();

/** In-process mutex keyed by a string (shared by every handler instance of the process). */
export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  locks.set(key, settled);
  try {
    return await run;
  } finally {
    if (locks.get(key) === settled) locks.delete(key);
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export async function removeFile(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}

const CALL_LOG_LIMIT = 1000;

export class AccountStore {
  constructor(
    private readonly dataDir: string,
    private readonly startingCredits: number,
    private readonly now: () => number,
  ) {}

  private file(keyHash: string): string {
    return path.join(this.dataDir, "accounts", keyHash, "state.json");
  }

  private fresh(provider: Provider): AccountState {
    return {
      version: 1,
      provider,
      createdAtMs: this.now(),
      credits: this.startingCredits,
      generations: [],
      assets: [],
      characters: [],
      tasks: [],
      faults: [],
      calls: [],
    };
  }

  /** Runs fn on the account's state under its mutex; the state is written back (atomically) when fn returns. */
  async update<T>(provider: Provider, keyHash: string, fn: (state: AccountState) => T | Promise<T>): Promise<T> {
    const file = this.file(keyHash);
    return withLock(`account:${file}`, async () => {
      const state = (await readJson<AccountState>(file)) ?? this.fresh(provider);
      const result = await fn(state);
      if (state.calls.length > CALL_LOG_LIMIT) state.calls.splice(0, state.calls.length - CALL_LOG_LIMIT);
      await writeFileAtomic(file, JSON.stringify(state));
      return result;
    });
  }

  /** Reads the state without writing (still ordered behind pending writes). */
  async read(provider: Provider, keyHash: string): Promise<AccountState> {
    const file = this.file(keyHash);
    return withLock(`account:${file}`, async () => (await readJson<AccountState>(file)) ?? this.fresh(provider));
  }
}
