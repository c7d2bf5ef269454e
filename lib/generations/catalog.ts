import "server-only";
import { requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import type { CatalogDTO, CatalogEntryDTO } from "@/lib/generations/types";
import { toUserError } from "@/lib/generations/user-errors";
import type { GenerationCatalog } from "@/lib/providers/rendernet/request-schemas";

/**
 * The provider catalogue (models, styles, LoRAs, ControlNets, voices, characters) as the forms and the request
 * builder see it, cached per connection for 5 minutes in this process; creating or editing a character drops it
 * (lib/generations/characters.ts), so the next read sees the change.
 */

const CATALOG_TTL_MS = 5 * 60_000;
const globalCaches = globalThis as unknown as { atelierCatalogCache?: Map<string, { at: number; value: Promise<CatalogDTO> }> };
const catalogCache = (globalCaches.atelierCatalogCache ??= new Map());

async function loadCatalog(connection: WorkspaceConnection): Promise<CatalogDTO> {
  const client = connection.rendernet;
  const entry = (r: { name: string; baseModel?: string; thumbnail?: string }): CatalogEntryDTO => ({
    name: r.name,
    baseModel: r.baseModel ?? null,
    thumbnail: r.thumbnail ?? null,
  });
  const [models, styles, fluxStyles, loras, controlNets, fluxControlNets, voices, characters] = await Promise.all([
    client.listModels(),
    client.listStyles(),
    client.listStyles({ flux: true }),
    client.listLoras(),
    client.listControlNets(),
    client.listControlNets({ flux: true }),
    client.listVoices(),
    client.listCharacters(),
  ]);
  return {
    models: models.map(entry),
    styles: styles.map(entry),
    fluxStyles: fluxStyles.map(entry),
    loras: loras.map(entry),
    controlNets: controlNets.map(entry),
    fluxControlNets: fluxControlNets.map(entry),
    voices: voices.map((voice) => ({ name: voice.name })),
    characters: characters.map((c) => ({
      id: c.id,
      name: c.name,
      system: c.systemCharacter ?? false,
      thumbnail: c.inputImage || null,
      type: c.characterType === "realistic" || c.characterType === "stylized" ? c.characterType : null,
      description: c.prompt ?? null,
    })),
  };
}

/** Drops a connection's cached catalogue, so the next read sees a character just created or edited. */
export function forgetCatalog(connectionId: string): void {
  catalogCache.delete(connectionId);
}

/**
 * The connection's catalogue, from the cache while it is fresh. `loadWith` gives the connection to load it through
 * when it is not (a run's job passes an unbound one: the catalogue is shared, so a job's abort must not cut it off);
 * it is asked for only on a miss, so the usual cached read costs no database query.
 */
export async function catalogFor(connection: WorkspaceConnection, loadWith?: () => Promise<WorkspaceConnection>): Promise<CatalogDTO> {
  const cached = catalogCache.get(connection.connectionId);
  if (cached && Date.now() - cached.at < CATALOG_TTL_MS) return cached.value;
  const value = loadWith ? loadWith().then(loadCatalog) : loadCatalog(connection);
  catalogCache.set(connection.connectionId, { at: Date.now(), value });
  value.catch(() => catalogCache.delete(connection.connectionId));
  return value;
}

export function generationCatalogOf(catalog: CatalogDTO): GenerationCatalog {
  const entry = (e: CatalogEntryDTO) => ({ name: e.name, baseModel: e.baseModel ?? undefined });
  return {
    models: catalog.models.map(entry),
    styles: [...catalog.styles, ...catalog.fluxStyles].map(entry),
    loras: catalog.loras.map(entry),
    controlNets: [...catalog.controlNets, ...catalog.fluxControlNets].map(entry),
    characters: catalog.characters.map((c) => ({ id: c.id, name: c.name })),
    voices: catalog.voices,
  };
}

export async function getCatalog(viewer: Viewer): Promise<CatalogDTO> {
  requirePermission(viewer, "workspace:read");
  const connection = await getWorkspaceConnection(viewer.workspaceId);
  return catalogFor(connection).catch(toUserError);
}
