"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PresetDTO } from "@/lib/data/presets";
import { createPresetAction, deletePresetAction, renamePresetAction, updatePresetAction } from "@/lib/actions/presets";
import { unwrapAction } from "@/lib/client/action-mutation";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { presetKeys } from "@/lib/client/query-keys";
import type { ToolId } from "@/lib/validation/generations";

/** A tool's presets (GET /api/w/<slug>/presets): the member's personal ones, then the workspace's shared ones. */
export function usePresets(slug: string, tool: ToolId, enabled: boolean) {
  return useQuery({
    queryKey: presetKeys.list(slug, tool),
    queryFn: ({ signal }) => fetchJson<PresetDTO[]>(workspaceApi(slug, `presets?tool=${tool}`), { signal }),
    enabled,
    staleTime: 30_000,
  });
}

/**
 * Save, rename, update and delete, each a server action that authorizes itself; every success re-reads the tool's
 * list (another member may have changed it too), and a refusal rejects with the server's sentence (ActionRefusal).
 */
export function usePresetMutations(slug: string, tool: ToolId) {
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: presetKeys.list(slug, tool) });
  return {
    create: useMutation({
      mutationFn: (input: { name: string; shared: boolean; params: unknown; boardId: string | null; thumbnailMediaId: string | null }) =>
        unwrapAction(createPresetAction({ workspace: slug, tool, ...input })),
      onSettled,
    }),
    rename: useMutation({
      mutationFn: (input: { presetId: string; name: string }) => unwrapAction(renamePresetAction({ workspace: slug, ...input })),
      onSettled,
    }),
    update: useMutation({
      mutationFn: (input: { presetId: string; params: unknown; boardId: string | null }) => unwrapAction(updatePresetAction({ workspace: slug, tool, ...input })),
      onSettled,
    }),
    remove: useMutation({
      mutationFn: (presetId: string) => unwrapAction(deletePresetAction({ workspace: slug, presetId })),
      onSettled,
    }),
  };
}
