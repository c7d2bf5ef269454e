import "server-only";
import { reportForeignIds } from "@/lib/data/denials";
import { findAssetForInput } from "@/lib/data/assets";
import { findReadyMediaForInput } from "@/lib/data/media";
import { findProviderAssetId, rememberProviderAsset, type ProviderAssetKey } from "@/lib/data/provider-assets";
import { signedFileUrl } from "@/lib/media/signed-url";
import type { MediaKind } from "@/lib/generated/prisma/enums";
import type { WorkspaceConnection } from "@/lib/connections/workspace";
import { storage } from "@/lib/storage/storage";
import { NotFoundError, UserError } from "@/lib/result";
import type { InputRef } from "@/lib/validation/generations";

/**
 * Inputs of a run: references to an uploaded Asset or a gallery Media item, resolved inside one workspace (an id
 * from elsewhere reads "not found"), and their copies at the provider (uploaded once per connection, checksum and
 * kind, remembered in ProviderAsset).
 */
export interface ResolvedInput {
  ref: InputRef;
  kind: MediaKind;
  storageKey: string;
  mimeType: string;
  checksum: string;
  width: number | null;
  height: number | null;
  /** Set for gallery media. */
  mediaId: string | null;
  assetId: string | null;
  /** A RenderNet media id usable directly on `providerConnection` (gallery media that came from RenderNet). */
  providerMediaId: string | null;
  providerConnection: string | null;
}

/** An input id not found in the workspace; carries the reference so the caller can audit a foreign id. */
export class InputNotFoundError extends NotFoundError {
  constructor(readonly ref: InputRef) {
    super(ref.kind === "asset" ? "That file" : "That gallery item");
  }
}

/** Where a run or a character names an input of another workspace: recorded there (the answer stays "not found"). */
export function noteMissingInput(viewer: { userId: string; workspaceId: string }, error: unknown, what: string): void {
  if (error instanceof InputNotFoundError) reportForeignIds(viewer, error.ref.kind === "asset" ? "asset" : "media", [error.ref.id], what);
}

const kindLabel: Record<MediaKind, string> = { IMAGE: "an image", VIDEO: "a video", AUDIO: "an audio file" };

export async function resolveInput(workspaceId: string, ref: InputRef, expected: MediaKind): Promise<ResolvedInput> {
  let resolved: ResolvedInput | null = null;
  if (ref.kind === "asset") {
    const asset = await findAssetForInput(workspaceId, ref.id);
    if (asset) {
      resolved = {
        ref,
        kind: asset.kind,
        storageKey: asset.storageKey,
        mimeType: asset.mimeType,
        checksum: asset.checksum,
        width: asset.width,
        height: asset.height,
        mediaId: null,
        assetId: asset.id,
        providerMediaId: null,
        providerConnection: null,
      };
    }
  } else {
    const media = await findReadyMediaForInput(workspaceId, ref.id);
    if (media?.storageKey && media.mimeType && media.checksum) {
      const request = media.generation.request as { connectionId?: unknown } | null;
      resolved = {
        ref,
        kind: media.kind,
        storageKey: media.storageKey,
        mimeType: media.mimeType,
        checksum: media.checksum,
        width: media.width,
        height: media.height,
        mediaId: media.id,
        assetId: null,
        providerMediaId: media.generation.provider === "RENDERNET" ? media.providerMediaId : null,
        providerConnection: typeof request?.connectionId === "string" ? request.connectionId : null,
      };
    }
  }
  if (!resolved) throw new InputNotFoundError(ref);
  if (resolved.kind !== expected) throw new UserError(`Choose ${kindLabel[expected]} here.`, "invalid_input");
  return resolved;
}

async function readAll(key: string): Promise<Uint8Array> {
  const object = await storage().get(key);
  if (!object) throw new Error(`storage object missing: ${key}`);
  return new Uint8Array(await new Response(object.stream).arrayBuffer());
}

const assetTypeOf = { IMAGE: "image", VIDEO: "video", AUDIO: "audio" } as const;

const uploadWhere = (connection: WorkspaceConnection, workspaceId: string, input: ResolvedInput): ProviderAssetKey => ({
  workspaceId,
  connection: connection.connectionId,
  checksum: input.checksum,
  kind: input.kind,
});

/** The RenderNet asset id of this input on the connection's account if it is already there (no provider call); else null. */
export async function knownRenderNetAsset(connection: WorkspaceConnection, workspaceId: string, input: ResolvedInput): Promise<string | null> {
  return findProviderAssetId(uploadWhere(connection, workspaceId, input));
}

// Uploads in progress in this process, by (workspace, connection, kind, checksum): the form's estimate and the run's
// job often want the same file at the same moment, and a second upload would only cost the provider's storage.
const globalUploads = globalThis as unknown as { atelierUploadsInFlight?: Map<string, Promise<string>> };
const uploadsInFlight = (globalUploads.atelierUploadsInFlight ??= new Map());

/** The RenderNet asset id of this input on the connection's account, uploading it the first time. */
export async function ensureRenderNetAsset(connection: WorkspaceConnection, workspaceId: string, input: ResolvedInput): Promise<string> {
  const known = await knownRenderNetAsset(connection, workspaceId, input);
  if (known) return known;
  const key = `${workspaceId}|${connection.connectionId}|${input.kind}|${input.checksum}`;
  let upload = uploadsInFlight.get(key);
  if (!upload) {
    upload = uploadRenderNetAsset(connection, workspaceId, input).finally(() => uploadsInFlight.delete(key));
    uploadsInFlight.set(key, upload);
  }
  return upload;
}

async function uploadRenderNetAsset(connection: WorkspaceConnection, workspaceId: string, input: ResolvedInput): Promise<string> {
  const where = uploadWhere(connection, workspaceId, input);
  const bytes = await readAll(input.storageKey);
  const asset = await connection.rendernet.uploadAsset({
    type: assetTypeOf[input.kind],
    bytes,
    contentType: input.mimeType,
    size: { width: input.width ?? 0, height: input.height ?? 0 },
  });
  // Another request may have won the race: the row that stuck is used, so everyone refers to one copy.
  return rememberProviderAsset(where, asset.id, input.assetId);
}

/** Validity of a presigned link a provider fetches an input from (object stores only). */
export const PROVIDER_LINK_SECONDS = 60 * 60;

/**
 * A URL the provider can fetch the input from (Qolaba takes images by URL). With `upload: false`, null when making
 * one would need an upload to the provider (the sandbox hosts the file on its RenderNet side).
 */
export async function providerFetchableUrl(
  connection: WorkspaceConnection,
  workspaceId: string,
  input: ResolvedInput,
  options: { upload?: boolean } = {},
): Promise<string | null> {
  if (!connection.sandbox) {
    const store = storage();
    // With media in an object store, the provider fetches from the bucket itself with a presigned GET: this server
    // streams nothing and needs no PUBLIC_URL. An hour outlives the run by far (its deadline is 10 minutes after the
    // submit that built this link), and the link names one object only.
    if (store.presignedGetUrl) {
      return store.presignedGetUrl(input.storageKey, { expiresInSeconds: PROVIDER_LINK_SECONDS, contentType: input.mimeType });
    }
    // Otherwise a signed, expiring link to Atelier's storage on PUBLIC_URL (never a URL a user typed).
    const url = signedFileUrl(input.storageKey, 6 * 60 * 60);
    if (!url) {
      throw new UserError("ControlNet needs a reference image the provider can fetch: set PUBLIC_URL to this server's public address.", "conflict");
    }
    return url;
  }
  if (options.upload === false) return null;
  // The sandbox's RenderNet account hosts the file; its Qolaba side fetches URLs under its own base in-process.
  const assetId = await ensureRenderNetAsset(connection, workspaceId, input);
  const asset = await connection.rendernet.getAsset(assetId);
  if (!asset.url) throw new Error("the provider asset has no URL");
  return asset.url;
}
