import "server-only";
import { env } from "@/lib/env";
import { fingerprint, open, parseMasterKey, providerKeyAad, seal } from "@/lib/crypto/secret-box.mjs";
import { UserError } from "@/lib/result";

/**
 * Provider keys at rest: sealed with AES-256-GCM under the master key from configuration (ATELIER_MASTER_KEY),
 * bound to their workspace and provider (associated data), opened only when a provider client is built
 * (lib/connections/workspace.ts). Nothing here logs or returns a key to anything but that caller.
 */

type MasterKeys = { current: { id: string; key: Buffer } | null; byId: Map<string, Buffer> };

let cached: { source: string; keys: MasterKeys } | null = null;

export function masterKeys(): MasterKeys {
  const { ATELIER_MASTER_KEY: current, ATELIER_PREVIOUS_MASTER_KEYS: previous } = env();
  const source = `${current ?? ""}|${previous ?? ""}`;
  if (cached?.source === source) return cached.keys;
  const byId = new Map<string, Buffer>();
  let currentKey: MasterKeys["current"] = null;
  if (current) {
    const key = parseMasterKey(current);
    currentKey = { id: fingerprint(key), key };
    byId.set(currentKey.id, key);
  }
  for (const text of (previous ?? "").split(",").filter((k) => k.trim())) {
    const key = parseMasterKey(text);
    byId.set(fingerprint(key), key);
  }
  cached = { source, keys: { current: currentKey, byId } };
  return cached.keys;
}

export const NO_MASTER_KEY_MESSAGE =
  "Provider keys can't be stored until the server has a master key: set ATELIER_MASTER_KEY (openssl rand -base64 32) and restart.";

/** Seals a provider key for one workspace and provider with the current master key. */
export function sealProviderKey(workspaceId: string, provider: string, plaintext: string): { secret: string; keyId: string } {
  const current = masterKeys().current;
  if (!current) throw new UserError(NO_MASTER_KEY_MESSAGE, "conflict");
  return { secret: seal(current.key, plaintext, providerKeyAad(workspaceId, provider)), keyId: current.id };
}

/** A stored key that cannot be opened here: another master key, or a ciphertext that is not this row's. */
export class SecretUnavailableError extends UserError {
  constructor(providerName: string) {
    super(`This workspace's ${providerName} key can't be read on this server. An admin needs to enter it again in Settings → Providers.`, "conflict");
    this.name = "SecretUnavailableError";
  }
}

/** Opens a stored provider key; throws SecretUnavailableError (never the key or the ciphertext) when it can't. */
export function openProviderKey(
  row: { workspaceId: string; provider: string; secret: string | null; keyId: string | null },
  providerName: string,
): string {
  const key = row.keyId ? masterKeys().byId.get(row.keyId) : undefined;
  if (!row.secret || !key) throw new SecretUnavailableError(providerName);
  try {
    return open(key, row.secret, providerKeyAad(row.workspaceId, row.provider));
  } catch {
    throw new SecretUnavailableError(providerName);
  }
}
