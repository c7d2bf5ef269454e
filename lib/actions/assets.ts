"use server";

import { workspaceAction } from "@/lib/actions/action-client";
import { deleteAsset } from "@/lib/data/assets";
import { ok } from "@/lib/result";
import { deleteAssetSchema } from "@/lib/validation/assets";

// The asset library and the pickers read through react-query (/api/w/<slug>/assets...), so the browser invalidates
// its asset queries after this; nothing server-rendered needs revalidating.

export const deleteAssetAction = workspaceAction("deleteAsset", deleteAssetSchema, "asset:delete", async ({ input, viewer }) =>
  ok(await deleteAsset(viewer, input.assetId)),
);
