/**
 * Uploads one file to `POST /api/w/<slug>/assets` (multipart field `file`). XMLHttpRequest rather than fetch: only it
 * reports upload progress. Resolves with the stored asset, or with the one the workspace already had with the same
 * bytes (`existing: true`: the server stored nothing new). Rejects with an UploadError whose message is safe to show,
 * or an AbortError.
 */
import type { UploadedAssetDTO } from "@/lib/generations/types";
import { errorFromBody, messageForStatus, workspaceApi } from "@/lib/client/fetch-json";

export class UploadError extends Error {
  constructor(
    message: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

function uploadMessage(status: number, body: unknown): string {
  const fromServer = errorFromBody(body);
  if (fromServer) return fromServer;
  if (status === 413) return "That file is too large to upload.";
  if (status === 415) return "That file type isn't supported here.";
  if (status === 422) return "That file couldn't be read. Is it damaged?";
  return messageForStatus(status);
}

export function uploadAsset(
  slug: string,
  file: File,
  { onProgress, signal }: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<UploadedAssetDTO> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("Upload cancelled", "AbortError"));
    const xhr = new XMLHttpRequest();
    xhr.open("POST", workspaceApi(slug, "assets"));
    xhr.responseType = "json";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === "object" && "id" in body) {
        onProgress?.(1);
        resolve(body as UploadedAssetDTO);
      } else {
        reject(new UploadError(uploadMessage(xhr.status, body), xhr.status));
      }
    };
    xhr.onerror = () => reject(new UploadError(messageForStatus(0), 0));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
