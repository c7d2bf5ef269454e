import "server-only";
import { db } from "@/lib/db";
import type { MediaKind } from "@/lib/generated/prisma/enums";

/**
 * Copies of Atelier's files at a provider (ProviderAsset): one per workspace, connection, kind and checksum, so the
 * same bytes are uploaded to one provider account once (lib/generations/inputs.ts does the uploading).
 */
export type ProviderAssetKey = { workspaceId: string; connection: string; checksum: string; kind: MediaKind };

/** The provider's asset id for these bytes on this connection, if they were uploaded before; else null. */
export async function findProviderAssetId(key: ProviderAssetKey): Promise<string | null> {
  const row = await db.providerAsset.findFirst({ where: key, select: { providerAssetId: true } });
  return row?.providerAssetId ?? null;
}

/**
 * Remembers an upload. Another request may have uploaded the same bytes at the same moment: the first row written
 * wins and its id is returned, so everyone refers to one copy.
 */
export async function rememberProviderAsset(key: ProviderAssetKey, providerAssetId: string, assetId: string | null): Promise<string> {
  await db.providerAsset.createMany({ data: [{ ...key, providerAssetId, assetId }], skipDuplicates: true });
  return (await findProviderAssetId(key)) ?? providerAssetId;
}
