"use server";

import { workspaceAction } from "@/lib/actions/action-client";
import { createCharacter, editCharacter } from "@/lib/generations/characters";
import { ok } from "@/lib/result";
import { createCharacterSchema, editCharacterSchema } from "@/lib/validation/characters";

// Characters are read through the catalogue (/api/w/<slug>/catalog, react-query); the browser invalidates it after
// these, and the server drops its cached catalogue in the service.

export const createCharacterAction = workspaceAction("createCharacter", createCharacterSchema, "character:manage", async ({ input, viewer }) =>
  ok(await createCharacter(viewer, { name: input.name, type: input.type, description: input.description, image: input.image })),
);

export const editCharacterAction = workspaceAction("editCharacter", editCharacterSchema, "character:manage", async ({ input, viewer }) =>
  ok(await editCharacter(viewer, { characterId: input.characterId, type: input.type, description: input.description, image: input.image })),
);
