import { z } from "zod";
import { inputRef, type InputRef } from "@/lib/validation/generations";
import { workspaceRef } from "@/lib/validation/workspaces";

/**
 * Creating and editing a character of the workspace's RenderNet account. The provider's rules: a name unique in the
 * account (checked on the server against every character, ready-made ones included, ignoring case) that can stand
 * in braces in a prompt (`{Robin} on a trek`), so no braces; a type (realistic | stylized); a description (the
 * provider's `prompt`); an image asset. RenderNet's edit (PUT /pub/v1/characters/{id}) changes the type, the
 * description and the image, never the name.
 */
export const CHARACTER_TYPES = ["realistic", "stylized"] as const;
export type CharacterType = (typeof CHARACTER_TYPES)[number];
export const CHARACTER_NAME_MAX = 40;
export const CHARACTER_DESCRIPTION_MAX = 500;

export const characterName = z
  .string({ error: "Give the character a name." })
  .trim()
  .min(1, { error: "Give the character a name." })
  .max(CHARACTER_NAME_MAX, { error: `Names can be at most ${CHARACTER_NAME_MAX} characters.` })
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} '’._-]*$/u, {
    error: "Use letters, digits, spaces, apostrophes, dots, hyphens or underscores, starting with a letter or digit.",
  });

const characterType = z.enum(CHARACTER_TYPES, { error: "Choose realistic or stylized." });

const description = z
  .string({ error: "Describe the character." })
  .trim()
  .min(1, { error: "Describe the character, e.g. “a woman in her thirties with curly red hair”." })
  .max(CHARACTER_DESCRIPTION_MAX, { error: `Descriptions can be at most ${CHARACTER_DESCRIPTION_MAX} characters.` });

const image = inputRef
  .nullable()
  .refine((value) => value !== null, { error: "Choose an image of the character's face." })
  .transform((value) => value as InputRef);

export const createCharacterSchema = z.object({
  workspace: workspaceRef,
  name: characterName,
  type: characterType,
  description,
  image,
});
export type CreateCharacterInput = z.input<typeof createCharacterSchema>;

export const editCharacterSchema = z.object({
  workspace: workspaceRef,
  characterId: z.string().trim().min(1).max(128),
  type: characterType,
  description,
  /** A new image; null keeps the current one. */
  image: inputRef.nullable().default(null),
});
export type EditCharacterInput = z.input<typeof editCharacterSchema>;
