// @ts-check
/**
 * AES-256-GCM sealing of provider keys, shared by the app (lib/crypto/secrets.ts) and the rotation command
 * (scripts/rotate-master-key.mjs), so there is one implementation. What it promises:
 * - a fresh 96-bit IV per seal; the 128-bit tag authenticates the ciphertext AND the associated data;
 * - the associated data names the row's owner (workspace and provider), so a ciphertext copied into another
 *   workspace's row fails to open there;
 * - a master key is 32 bytes given as base64/base64url (44/43 chars) or hex (64 chars); it is identified by a
 *   fingerprint (first 16 hex chars of SHA-256 of "atelier-master-key:" + key), never by the key itself.
 * Sealed form: base64url(iv | ciphertext | tag).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** @param {string} text */
export function parseMasterKey(text) {
  const value = text.trim();
  /** @type {Buffer} */
  let key;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else throw new Error('a master key is 32 random bytes as base64 (openssl rand -base64 32) or 64 hex characters');
  if (key.length !== 32) throw new Error('a master key must be exactly 32 bytes');
  return key;
}

/** @param {Buffer} key */
export function fingerprint(key) {
  return createHash('sha256').update('atelier-master-key:').update(key).digest('hex').slice(0, 16);
}

/** The associated data binding a provider key to its workspace and provider. */
export function providerKeyAad(/** @type {string} */ workspaceId, /** @type {string} */ provider) {
  return `atelier/provider-key/v1/${workspaceId}/${provider}`;
}

/**
 * @param {Buffer} key
 * @param {string} plaintext
 * @param {string} aad
 */
export function seal(key, plaintext, aad) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * Opens a sealed value; throws if the key, the associated data or any byte differs.
 * @param {Buffer} key
 * @param {string} sealed
 * @param {string} aad
 */
export function open(key, sealed, aad) {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 12 + 16 + 1) throw new Error('sealed value is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
}
