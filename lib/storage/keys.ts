/**
 * The keys Atelier stores files under, and the content types they imply. Shared by the storage implementations
 * (which refuse any other key) and the code that names files; kept apart from the factory in storage.ts so that an
 * implementation never imports the module that constructs it.
 */

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\.[A-Za-z0-9]+)*$/;

/** Refuses anything but the keys Atelier builds (no "..", no absolute paths, no odd characters). */
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.length > 300) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

const EXT_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
};

export function contentTypeForKey(key: string): string {
  const ext = key.split(".").pop()?.toLowerCase() ?? "";
  return EXT_TYPES[ext] ?? "application/octet-stream";
}

export function extensionForType(contentType: string): string {
  const found = Object.entries(EXT_TYPES).find(([, type]) => type === contentType);
  if (!found) throw new Error(`no extension for ${contentType}`);
  return found[0];
}

export const storageKeys = {
  media: (workspaceId: string, generationId: string, mediaId: string, ext: string) => `ws/${workspaceId}/gen/${generationId}/${mediaId}.${ext}`,
  mediaThumb: (workspaceId: string, generationId: string, mediaId: string) => `ws/${workspaceId}/gen/${generationId}/${mediaId}.thumb.webp`,
  asset: (workspaceId: string, assetId: string, ext: string) => `ws/${workspaceId}/assets/${assetId}.${ext}`,
  assetThumb: (workspaceId: string, assetId: string) => `ws/${workspaceId}/assets/${assetId}.thumb.webp`,
};
