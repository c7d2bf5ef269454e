"use server";

import { workspaceAction } from "@/lib/actions/action-client";
import { createPreset, deletePreset, renamePreset, updatePresetSettings } from "@/lib/data/presets";
import { ok } from "@/lib/result";
import { createPresetSchema, deletePresetSchema, renamePresetSchema, updatePresetSchema } from "@/lib/validation/presets";

// The tool forms' presets (lib/data/presets.ts): the lists are react-query data (GET /api/w/<slug>/presets), which
// the forms refresh after each of these, so there is no server-rendered page to revalidate.

/** Saves the form as a preset; also the undo of a deletion (the deleted preset's fields, sent back). */
export const createPresetAction = workspaceAction("createPreset", createPresetSchema, "preset:create", async ({ input, viewer }) =>
  ok(await createPreset(viewer, input)),
);

export const renamePresetAction = workspaceAction("renamePreset", renamePresetSchema, "preset:create", async ({ input, viewer }) => {
  await renamePreset(viewer, input.presetId, input.name);
  return ok(null);
});

export const updatePresetAction = workspaceAction("updatePreset", updatePresetSchema, "preset:create", async ({ input, viewer }) =>
  ok(await updatePresetSettings(viewer, input.presetId, input)),
);

export const deletePresetAction = workspaceAction("deletePreset", deletePresetSchema, "preset:create", async ({ input, viewer }) =>
  ok(await deletePreset(viewer, input.presetId)),
);
