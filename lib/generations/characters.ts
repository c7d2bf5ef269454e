import "server-only";
import { recordAuditQuietly } from "@/lib/data/audit";
import { requirePermission, type Viewer } from "@/lib/authz";
import { getWorkspaceConnection, type WorkspaceConnection } from "@/lib/connections/workspace";
import { ensureRenderNetAsset, noteMissingInput, resolveInput } from "@/lib/generations/inputs";
import { catalogFor, forgetCatalog } from "@/lib/generations/catalog";
import type { CharacterDTO } from "@/lib/generations/types";
import { isProviderError } from "@/lib/providers/http/errors";
import type { RenderNetCharacter } from "@/lib/providers/rendernet/response-schemas";
import { NotFoundError, UserError } from "@/lib/result";
import type { CharacterType } from "@/lib/validation/characters";
import type { InputRef } from "@/lib/validation/generations";

/**
 * Characters live in the workspace's RenderNet account, not in Atelier's database: the list is the provider's
 * (GET /pub/v1/characters, cached with the catalogue for 5 minutes), and creating or editing one goes to the provider
 * and then drops the cached catalogue, so the Image form's picker and the run's validation see the change at once.
 * The image is an Atelier input (an uploaded asset or a gallery image of this workspace), uploaded to the provider
 * through the usual once-per-checksum flow. Names are unique ignoring case among all the account's characters, the
 * ready-made ones included, so `{Name}` in a prompt is never ambiguous to a person reading it.
 *
 * Creating and editing are audited after the provider has answered. A character id the account doesn't have answers
 * "not found" and is not audited as another workspace's: characters are the provider account's, not rows of ours,
 * so there is no owner to look up (two workspaces may even share an account through the same key).
 */

function toCharacterDTO(c: RenderNetCharacter): CharacterDTO {
  return {
    id: c.id,
    name: c.name,
    system: c.systemCharacter ?? false,
    thumbnail: c.inputImage || null,
    type: c.characterType === "realistic" || c.characterType === "stylized" ? c.characterType : null,
    description: c.prompt ?? null,
  };
}

/** A provider failure as a sentence for people (never an upstream body). */
function providerFailure(error: unknown, nameConflict?: string): never {
  if (isProviderError(error)) {
    if (nameConflict && error.status === 409) throw nameTaken(nameConflict);
    const code = error.cause === "rate_limited" ? "rate_limited" : error.cause === "invalid_input" ? "invalid_input" : error.cause === "not_found" ? "not_found" : "conflict";
    throw new UserError(error.userMessage, code);
  }
  throw error;
}

function nameTaken(name: string, system = false): UserError {
  const message = system
    ? `“${name}” is the name of one of RenderNet's ready-made characters. Choose another name.`
    : `There is already a character named “${name}”. Choose another name.`;
  return new UserError(message, "conflict", { name: [message] });
}

/** The account's characters, fresh from the provider (not the cache): for checks that must not be stale. */
async function freshCharacters(connection: WorkspaceConnection): Promise<RenderNetCharacter[]> {
  return connection.rendernet.listCharacters().catch((error: unknown) => providerFailure(error));
}

/** The provider's ready-made characters and the workspace account's own, own first, each group by name. */
export async function listCharacters(viewer: Viewer): Promise<CharacterDTO[]> {
  requirePermission(viewer, "workspace:read");
  const connection = await getWorkspaceConnection(viewer.workspaceId);
  const catalog = await catalogFor(connection).catch((error: unknown) => providerFailure(error));
  return [...catalog.characters].sort((a, b) => Number(a.system) - Number(b.system) || a.name.localeCompare(b.name));
}

export async function createCharacter(
  viewer: Viewer,
  input: { name: string; type: CharacterType; description: string; image: InputRef },
): Promise<CharacterDTO> {
  requirePermission(viewer, "character:manage");
  const name = input.name.trim();
  const image = await resolveInput(viewer.workspaceId, input.image, "IMAGE").catch((error: unknown) => {
    noteMissingInput(viewer, error, "createCharacter");
    throw error;
  });
  const connection = await getWorkspaceConnection(viewer.workspaceId);
  const existing = (await freshCharacters(connection)).find((c) => c.name.trim().toLowerCase() === name.toLowerCase());
  if (existing) throw nameTaken(name, existing.systemCharacter === true);
  const assetId = await ensureRenderNetAsset(connection, viewer.workspaceId, image).catch((error: unknown) => providerFailure(error));
  try {
    const created = await connection.rendernet
      .createCharacter({ assetId, characterType: input.type, name, prompt: input.description.trim() })
      .catch((error: unknown) => providerFailure(error, name));
    // The character exists at the provider whatever happens next: a failed entry is logged, not the member's error.
    await recordAuditQuietly({
      action: "character.created",
      workspaceId: viewer.workspaceId,
      actorId: viewer.userId,
      targetType: "character",
      targetId: created.id,
      details: { name: created.name, type: input.type },
    });
    return toCharacterDTO(created);
  } finally {
    // Also after a lost answer: the character may exist, and the next list should show it.
    forgetCatalog(connection.connectionId);
  }
}

export async function editCharacter(
  viewer: Viewer,
  input: { characterId: string; type: CharacterType; description: string; image: InputRef | null },
): Promise<CharacterDTO> {
  requirePermission(viewer, "character:manage");
  const connection = await getWorkspaceConnection(viewer.workspaceId);
  const character = (await freshCharacters(connection)).find((c) => c.id === input.characterId);
  if (!character) throw new NotFoundError("That character");
  if (character.systemCharacter) throw new UserError(`${character.name} is one of RenderNet's ready-made characters, which can't be edited.`, "forbidden");

  let assetId: string;
  if (input.image) {
    const image = await resolveInput(viewer.workspaceId, input.image, "IMAGE").catch((error: unknown) => {
      noteMissingInput(viewer, error, "editCharacter");
      throw error;
    });
    assetId = await ensureRenderNetAsset(connection, viewer.workspaceId, image).catch((error: unknown) => providerFailure(error));
  } else {
    // RenderNet's edit needs the image asset again, but a character only tells its image's URL: find the account's
    // image asset at that URL. When none matches (a character made elsewhere), the member chooses the image.
    const assets = character.inputImage
      ? await connection.rendernet.listAssets({ type: "image" }).catch((error: unknown) => providerFailure(error))
      : [];
    const current = assets.find((asset) => asset.url && asset.url === character.inputImage);
    if (!current) {
      const message = "RenderNet doesn't say which image this character was made from: choose its image again.";
      throw new UserError(message, "invalid_input", { image: [message] });
    }
    assetId = current.id;
  }
  try {
    const edited = await connection.rendernet
      .editCharacter(character.id, { assetId, characterType: input.type, prompt: input.description.trim() })
      .catch((error: unknown) => providerFailure(error));
    await recordAuditQuietly({
      action: "character.edited",
      workspaceId: viewer.workspaceId,
      actorId: viewer.userId,
      targetType: "character",
      targetId: character.id,
      details: { name: character.name, type: input.type, image: input.image ? "replaced" : "kept" },
    });
    return toCharacterDTO(edited);
  } finally {
    forgetCatalog(connection.connectionId);
  }
}
