"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions/action-client";
import { testConnection } from "@/lib/connections/check";
import { removeProviderKey, saveProviderKey, switchToSandbox } from "@/lib/connections/settings";
import { ok } from "@/lib/result";
import { removeProviderKeySchema, saveProviderKeySchema, testConnectionSchema, switchToSandboxSchema } from "@/lib/validation/connections";

// Settings → Providers. None of these answers carries a key: saving returns nothing, the page re-reads the DTOs.

export const saveProviderKeyAction = workspaceAction("saveProviderKey", saveProviderKeySchema, "connections:manage", async ({ input, viewer }) => {
  await saveProviderKey(viewer, input.provider, input.key, input.baseUrl);
  revalidatePath(`/w/${viewer.workspaceSlug}/settings/providers`);
  return ok(null);
});

export const switchToSandboxAction = workspaceAction("switchToSandbox", switchToSandboxSchema, "connections:manage", async ({ input, viewer }) => {
  await switchToSandbox(viewer, input.provider);
  revalidatePath(`/w/${viewer.workspaceSlug}/settings/providers`);
  return ok(null);
});

export const removeProviderKeyAction = workspaceAction("removeProviderKey", removeProviderKeySchema, "connections:manage", async ({ input, viewer }) => {
  await removeProviderKey(viewer, input.provider);
  revalidatePath(`/w/${viewer.workspaceSlug}/settings/providers`);
  return ok(null);
});

export const testConnectionAction = workspaceAction("testConnection", testConnectionSchema, "connections:manage", async ({ input, viewer }) => {
  const check = await testConnection(viewer, input.provider);
  revalidatePath(`/w/${viewer.workspaceSlug}/settings/providers`);
  return ok(check);
});
