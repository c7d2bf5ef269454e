"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { toast } from "@/lib/client/toast";
import type { AssetDTO } from "@/lib/generations/types";
import { assetKeys } from "@/lib/client/query-keys";
import { UploadError, uploadAsset } from "@/lib/assets-client/upload-asset";

export type UploadState =
  | { status: "idle" }
  | { status: "uploading"; fileName: string; progress: number }
  | { status: "error"; fileName: string; message: string };

/**
 * One upload at a time, with progress and cancel; the new asset joins the cached asset list of its kind. A file the
 * workspace already has is answered with that asset (the server stores nothing new), which is then the one chosen,
 * and a toast says so.
 */
export function useAssetUpload(slug: string) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<UploadState>({ status: "idle" });
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const upload = useCallback(
    /** `unsupported`: the caller's own sentence for a file the server refuses as an unsupported type (415). */
    async (file: File, { unsupported }: { unsupported?: string } = {}): Promise<AssetDTO | null> => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setState({ status: "uploading", fileName: file.name, progress: 0 });
      try {
        const asset = await uploadAsset(slug, file, {
          signal: current.signal,
          onProgress: (progress) => setState((s) => (s.status === "uploading" && controller.current === current ? { ...s, progress } : s)),
        });
        if (asset.existing) toast(`${file.name || "That file"} is already in your assets as “${asset.name}”: using that one.`);
        queryClient.setQueryData<AssetDTO[]>(assetKeys.list(slug, asset.kind), (list) => (list ? [asset, ...list.filter((a) => a.id !== asset.id)] : list));
        // Every asset list (this kind's picker list and the Assets page's views) reads again in the background.
        void queryClient.invalidateQueries({ queryKey: assetKeys.all(slug) });
        setState({ status: "idle" });
        return asset;
      } catch (error) {
        if (error instanceof DOMException && error.name === "AbortError") {
          if (controller.current === current) setState({ status: "idle" });
          return null;
        }
        const message = unsupported && error instanceof UploadError && error.status === 415 ? unsupported : error instanceof Error ? error.message : "The upload failed.";
        setState({ status: "error", fileName: file.name, message });
        return null;
      } finally {
        if (controller.current === current) controller.current = null;
      }
    },
    [queryClient, slug],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  const fail = useCallback((fileName: string, message: string) => setState({ status: "error", fileName, message }), []);
  const clear = useCallback(() => setState({ status: "idle" }), []);

  return { state, upload, cancel, fail, clear };
}
