"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import { AlertTriangle, AudioLines, Check, FileWarning, Film, FolderOpen, ImageIcon, Play, RotateCcw, Trash2, Upload, X } from "lucide-react";
import { toast } from "@/lib/client/toast";
import { deleteAssetAction } from "@/lib/actions/assets";
import { cn } from "@/lib/cn";
import type { AssetLibraryItemDTO, AssetLibraryPageDTO, UploadedAssetDTO } from "@/lib/generations/types";
import { formatDuration } from "@/lib/generations-client/input-value";
import { useAssetLibrary, useAssetLibraryCache } from "@/lib/assets-client/use-asset-library";
import { useModifierKey } from "@/lib/client/use-modifier-key";
import { useUploadQueue, type QueuedUpload } from "@/lib/assets-client/use-upload-queue";
import { parseAssetType, type AssetTypeFilter } from "@/lib/validation/assets";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { MediaImage } from "@/components/generate/media-image";
import { SegmentedControl } from "@/components/generate/segmented-control";

export type AssetPermissions = { upload: boolean; remove: boolean };

const TYPE_OPTIONS = [
  { value: "all", label: "All" },
  { value: "image", label: "Images" },
  { value: "video", label: "Videos" },
  { value: "audio", label: "Audio" },
] as const;

const ACCEPT = "image/png,image/jpeg,image/webp,image/gif,video/mp4,video/webm,audio/mpeg,.png,.jpg,.jpeg,.webp,.gif,.mp4,.m4v,.webm,.mp3";
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

/**
 * The workspace's uploads. The type filter lives in the URL (`?type=image`), written with the History API so
 * switching never reloads the page. Members upload by dropping files anywhere on the page, pasting, or the file
 * picker (several at once, with progress and a sentence per refused file), and delete with a confirmation; viewers
 * browse. Every tool's input picker lists the same files ("Uploads").
 */
export function AssetLibrary({
  slug,
  initial,
  permissions,
  viewerName,
}: {
  slug: string;
  initial: { type: AssetTypeFilter | null; page: AssetLibraryPageDTO };
  permissions: AssetPermissions;
  viewerName: string;
}) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const type = parseAssetType(searchParams.get("type"));
  const library = useAssetLibrary(slug, type, initial);
  const cache = useAssetLibraryCache(slug);
  const items = useMemo(() => library.data?.pages.flatMap((page) => page.items) ?? [], [library.data]);
  const { added } = cache;
  // A file the workspace already had is already in the list, with who uploaded it first: only new ones join it.
  const onUploaded = useCallback((asset: UploadedAssetDTO) => (asset.existing ? undefined : added(asset, viewerName)), [added, viewerName]);
  const queue = useUploadQueue(slug, { onUploaded });
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [preview, setPreview] = useState<AssetLibraryItemDTO | null>(null);
  const [deleting, setDeleting] = useState<AssetLibraryItemDTO | null>(null);
  const modifier = useModifierKey();

  const setType = (next: string) => {
    const params = new URLSearchParams(searchParams.toString());
    if (next === "all") params.delete("type");
    else params.set("type", next);
    const query = params.toString();
    window.history.pushState(null, "", `${pathname}${query ? `?${query}` : ""}`);
  };

  // Drop anywhere on the page (members only).
  const addFiles = queue.add;
  useEffect(() => {
    if (!permissions.upload) return;
    let depth = 0;
    const hasFiles = (event: DragEvent) => Boolean(event.dataTransfer?.types.includes("Files"));
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    };
    const onLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length > 0) addFiles(files);
    };
    window.addEventListener("dragenter", onEnter);
    window.addEventListener("dragover", onOver);
    window.addEventListener("dragleave", onLeave);
    window.addEventListener("drop", onDrop);
    return () => {
      window.removeEventListener("dragenter", onEnter);
      window.removeEventListener("dragover", onOver);
      window.removeEventListener("dragleave", onLeave);
      window.removeEventListener("drop", onDrop);
    };
  }, [permissions.upload, addFiles]);

  // Paste files (a screenshot, a copied image) anywhere except into a text field or a dialog.
  useEffect(() => {
    if (!permissions.upload) return;
    const onPaste = (event: ClipboardEvent) => {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (files.length === 0) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest("input, textarea, [contenteditable=''], [contenteditable='true'], [role='dialog']")) return;
      event.preventDefault();
      addFiles(files);
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [permissions.upload, addFiles]);

  // Load the next page as the end of the grid comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = library;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    }, { rootMargin: "600px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const noun = type === "image" ? "images" : type === "video" ? "videos" : type === "audio" ? "audio files" : "files";

  return (
    <div className="px-5 py-5 sm:px-8">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div className="w-full max-w-sm sm:w-80">
          <span id="asset-type-label" className="sr-only">
            Type
          </span>
          <SegmentedControl id="asset-type" value={type ?? "all"} options={TYPE_OPTIONS} onChange={setType} />
        </div>
        {permissions.upload ? (
          <div className="flex items-center gap-3">
            <p className="hidden text-[12px] text-muted md:block pointer-coarse:hidden">
              Drop files anywhere, or paste with <kbd className="rounded border border-line bg-surface px-1 font-sans text-[11px]">{modifier}+V</kbd>
            </p>
            <Button onClick={() => fileInput.current?.click()}>
              <Upload /> Upload files
            </Button>
            <input
              ref={fileInput}
              type="file"
              multiple
              accept={ACCEPT}
              aria-label="Choose files to upload"
              className="sr-only"
              tabIndex={-1}
              onChange={(event) => {
                const files = Array.from(event.target.files ?? []);
                event.target.value = "";
                if (files.length > 0) queue.add(files);
              }}
            />
          </div>
        ) : (
          <p className="text-[13px] text-muted">Viewers can browse and download files; members upload and delete them.</p>
        )}
      </div>

      {queue.items.length > 0 ? <UploadList items={queue.items} onCancel={queue.cancel} onDismiss={queue.dismiss} /> : null}

      {library.isError && items.length === 0 ? (
        <div role="alert" className="flex flex-col items-center gap-3 rounded-2xl border border-danger/30 bg-danger-soft px-6 py-10 text-center">
          <p className="text-sm text-danger">{library.error.message}</p>
          <Button size="sm" variant="secondary" onClick={() => void library.refetch()}>
            <RotateCcw /> Try again
          </Button>
        </div>
      ) : library.isPending ? (
        <GridSkeleton />
      ) : items.length === 0 ? (
        type ? (
          <EmptyState
            icon={type === "image" ? ImageIcon : type === "video" ? Film : AudioLines}
            title={`No ${noun} yet`}
            action={
              <Button variant="secondary" onClick={() => setType("all")}>
                Show all files
              </Button>
            }
          >
            {permissions.upload ? "Upload some, or look at every type of file." : "Nothing of this type has been uploaded."}
          </EmptyState>
        ) : (
          <EmptyState
            icon={FolderOpen}
            title="No files yet"
            action={
              permissions.upload ? (
                <Button onClick={() => fileInput.current?.click()}>
                  <Upload /> Upload files
                </Button>
              ) : undefined
            }
          >
            {permissions.upload
              ? "Drop images, videos or audio anywhere on this page, paste an image, or choose files. Every tool's picker offers them under Uploads."
              : "Reference images, face photos, narrator videos and voice tracks your team uploads will appear here."}
          </EmptyState>
        )
      ) : (
        <>
          <ul aria-label={`Uploaded ${noun}`} data-testid="asset-grid" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-5">
            {items.map((asset) => (
              <AssetCard key={asset.id} asset={asset} canDelete={permissions.remove} onOpen={() => setPreview(asset)} onDelete={() => setDeleting(asset)} />
            ))}
          </ul>
          <div ref={sentinel} className="flex justify-center py-6">
            {hasNextPage ? (
              <Button variant="secondary" size="sm" loading={isFetchingNextPage} onClick={() => void fetchNextPage()}>
                Load more
              </Button>
            ) : items.length > 12 ? (
              <p className="text-[12px] text-muted">That&apos;s everything.</p>
            ) : null}
          </div>
        </>
      )}

      {dragging ? (
        <div className="pointer-events-none fixed inset-0 z-40 grid place-items-center bg-accent/10 p-6 backdrop-blur-[1px]">
          <div className="flex flex-col items-center gap-2 rounded-3xl border-2 border-dashed border-accent bg-surface/95 px-10 py-8 text-center shadow-pop">
            <Upload className="size-6 text-accent" aria-hidden="true" />
            <p className="text-sm font-semibold">Drop to upload</p>
            <p className="text-[12px] text-muted">Images, videos and MP3 audio; each file is checked by its content.</p>
          </div>
        </div>
      ) : null}

      <PreviewDialog asset={preview} onClose={() => setPreview(null)} />
      <DeleteDialog
        slug={slug}
        asset={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(asset) => {
          cache.removed(asset.id);
          if (preview?.id === asset.id) setPreview(null);
        }}
      />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

function formatLabel(mimeType: string): string {
  return ({ "image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP", "video/mp4": "MP4", "video/webm": "WebM", "audio/mpeg": "MP3" } as Record<string, string>)[mimeType] ?? mimeType;
}

function details(asset: AssetLibraryItemDTO): string {
  return [
    formatLabel(asset.mimeType),
    formatBytes(asset.bytes),
    asset.width && asset.height ? `${asset.width} × ${asset.height}` : null,
    asset.durationMs !== null && asset.kind !== "IMAGE" ? formatDuration(asset.durationMs) : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

function AssetCard({ asset, canDelete, onOpen, onDelete }: { asset: AssetLibraryItemDTO; canDelete: boolean; onOpen: () => void; onDelete: () => void }) {
  const kindLabel = asset.kind === "IMAGE" ? "image" : asset.kind === "VIDEO" ? "video" : "audio";
  return (
    <li>
      <article aria-label={asset.name} data-asset-id={asset.id} className="group relative flex h-full flex-col overflow-hidden rounded-2xl border border-line bg-surface shadow-xs">
        {asset.kind === "AUDIO" ? (
          <div className="flex aspect-[4/3] flex-col justify-between gap-2 bg-gradient-to-br from-accent-soft to-surface-2 p-3">
            <div className="flex items-start justify-between gap-2">
              <span className="grid size-10 place-items-center rounded-xl bg-surface/80 text-accent">
                <AudioLines className="size-5" aria-hidden="true" />
              </span>
              {/* The player shows 0:00 until it loads: the length read at upload is shown from the start. */}
              {asset.durationMs !== null ? (
                <span className="rounded-md bg-surface/80 px-1.5 py-0.5 text-[12px] font-medium text-ink tabular-nums" data-testid="audio-duration">
                  <span className="sr-only">Length </span>
                  {formatDuration(asset.durationMs)}
                </span>
              ) : null}
            </div>
            {/* Audio plays in place; preload none keeps a long list light. */}
            <audio controls preload="none" src={asset.originalUrl} aria-label={`Play ${asset.name}`} className="h-9 w-full" />
          </div>
        ) : (
          <button
            type="button"
            onClick={onOpen}
            aria-label={`Preview ${asset.name}`}
            className="relative block aspect-[4/3] w-full overflow-hidden bg-surface-2 focus-visible:outline-offset-[-2px]"
          >
            {asset.thumbUrl ? (
              <MediaImage src={asset.thumbUrl} alt="" className="size-full object-cover transition duration-300 group-hover:scale-[1.03]" />
            ) : (
              <span className="grid size-full place-items-center text-muted">
                {asset.kind === "VIDEO" ? <Film className="size-6" aria-hidden="true" /> : <ImageIcon className="size-6" aria-hidden="true" />}
              </span>
            )}
            {asset.kind === "VIDEO" ? (
              <>
                <span className="absolute top-2 left-2 grid size-7 place-items-center rounded-full bg-black/60 text-white">
                  <Play className="size-3.5 fill-current" aria-hidden="true" />
                </span>
                {asset.durationMs !== null ? (
                  <span className="absolute right-2 bottom-2 rounded-md bg-black/65 px-1.5 py-0.5 text-[11px] font-medium text-white tabular-nums">{formatDuration(asset.durationMs)}</span>
                ) : null}
              </>
            ) : null}
          </button>
        )}
        <div className="min-w-0 flex-1 space-y-0.5 p-3">
          <p className="truncate text-[13px] font-medium" title={asset.name}>
            {asset.name}
          </p>
          <p className="text-[12px] text-muted tabular-nums">{details(asset)}</p>
          <p className="truncate text-[12px] text-muted">
            <span className="sr-only">{kindLabel}, uploaded by </span>
            {asset.createdBy ?? "A former member"} ·{" "}
            <time dateTime={asset.createdAt} suppressHydrationWarning>
              {dateFormat.format(new Date(asset.createdAt))}
            </time>
          </p>
        </div>
        {canDelete ? (
          <button
            type="button"
            onClick={onDelete}
            aria-label={`Delete ${asset.name}`}
            title="Delete"
            className="absolute top-2 right-2 grid size-8 place-items-center rounded-lg bg-black/55 text-white opacity-0 backdrop-blur-sm transition group-hover:opacity-100 hover:bg-danger focus-visible:bg-danger focus-visible:opacity-100 pointer-coarse:opacity-100"
          >
            <Trash2 className="size-4" aria-hidden="true" />
          </button>
        ) : null}
      </article>
    </li>
  );
}

function UploadList({ items, onCancel, onDismiss }: { items: QueuedUpload[]; onCancel: (id: string) => void; onDismiss: (id: string) => void }) {
  return (
    <section aria-label="Uploads" className="mb-5 rounded-2xl border border-line bg-surface p-2 shadow-xs">
      <ul className="divide-y divide-line/70" aria-live="polite">
        {items.map((item) => {
          const percent = Math.round(item.progress * 100);
          return (
            <li key={item.id} aria-label={item.name} className="flex items-start gap-3 px-2 py-2.5">
              <span
                className={cn(
                  "mt-0.5 grid size-8 shrink-0 place-items-center rounded-lg",
                  item.status === "error" ? "bg-danger-soft text-danger" : item.status === "done" ? "bg-success/15 text-success" : "bg-accent-soft text-accent",
                )}
              >
                {item.status === "error" ? <FileWarning className="size-4" aria-hidden="true" /> : item.status === "done" ? <Check className="size-4" aria-hidden="true" /> : <Upload className="size-4" aria-hidden="true" />}
              </span>
              <div className="min-w-0 flex-1">
                <div className="flex items-baseline justify-between gap-3">
                  <p className="truncate text-[13px] font-medium">{item.name}</p>
                  <p className="shrink-0 text-[12px] text-muted tabular-nums">
                    {item.status === "queued"
                      ? "Waiting…"
                      : item.status === "uploading"
                        ? percent >= 100
                          ? "Checking…"
                          : `${percent}%`
                        : item.status === "done"
                          ? item.existingAs === null
                            ? "Uploaded"
                            : "Already there"
                          : "Refused"}
                  </p>
                </div>
                {item.status === "error" ? (
                  <p role="alert" className="mt-0.5 text-[12px] text-danger">
                    {item.error}
                  </p>
                ) : item.existingAs !== null ? (
                  <p className="mt-0.5 text-[12px] text-muted">
                    Already in your assets as “{item.existingAs}”: that one is kept, nothing was stored twice.
                  </p>
                ) : (
                  <div
                    role="progressbar"
                    aria-label={`Uploading ${item.name}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={percent}
                    className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-surface-2"
                  >
                    <div
                      className={cn("h-full rounded-full transition-[width] duration-200", item.status === "done" ? "bg-success" : "bg-accent", item.status === "uploading" && percent >= 100 && "animate-pulse")}
                      style={{ width: `${Math.max(item.status === "queued" ? 0 : 3, percent)}%` }}
                    />
                  </div>
                )}
              </div>
              {item.status === "queued" || item.status === "uploading" ? (
                <button type="button" onClick={() => onCancel(item.id)} className="h-8 shrink-0 rounded-lg px-2.5 text-[12px] font-medium text-muted hover:bg-surface-2 hover:text-ink">
                  Cancel
                </button>
              ) : item.status === "error" || item.existingAs !== null ? (
                <button type="button" aria-label={`Dismiss ${item.name}`} onClick={() => onDismiss(item.id)} className="grid size-8 shrink-0 place-items-center rounded-lg text-muted hover:bg-surface-2 hover:text-ink">
                  <X className="size-4" aria-hidden="true" />
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function GridSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-5">
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="aspect-[4/5]" />
      ))}
    </div>
  );
}

function PreviewDialog({ asset, onClose }: { asset: AssetLibraryItemDTO | null; onClose: () => void }) {
  return (
    <Dialog open={asset !== null} onOpenChange={(open) => !open && onClose()}>
      {asset ? (
        <DialogContent title={asset.name} description={details(asset)} className="max-w-3xl">
          <div className="grid max-h-[70vh] place-items-center overflow-hidden rounded-xl bg-surface-2">
            {asset.kind === "VIDEO" ? (
              <video controls autoPlay playsInline src={asset.originalUrl} poster={asset.thumbUrl ?? undefined} className="max-h-[70vh] w-full" />
            ) : (
              <MediaImage src={asset.originalUrl} alt={asset.name} className="max-h-[70vh] w-auto object-contain" />
            )}
          </div>
          <div className="mt-4 flex justify-end">
            <Button asChild variant="secondary" size="sm">
              <a href={asset.originalUrl} target="_blank" rel="noreferrer">
                Open original
              </a>
            </Button>
          </div>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function DeleteDialog({
  slug,
  asset,
  onClose,
  onDeleted,
}: {
  slug: string;
  asset: AssetLibraryItemDTO | null;
  onClose: () => void;
  onDeleted: (asset: AssetLibraryItemDTO) => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    if (!asset) return;
    setPending(true);
    setError(null);
    const result = await deleteAssetAction({ workspace: slug, assetId: asset.id });
    setPending(false);
    if (result.ok) {
      onDeleted(asset);
      toast.success(`Deleted ${asset.name}`);
      onClose();
    } else if (result.code === "not_found") {
      // Someone else deleted it already: the list catches up, and that is what the member wanted anyway.
      onDeleted(asset);
      toast(`${asset.name} was already deleted.`);
      onClose();
    } else {
      setError(result.error);
    }
  };
  return (
    <Dialog
      open={asset !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError(null);
          onClose();
        }
      }}
    >
      {asset ? (
        <DialogContent title={`Delete “${asset.name}”?`} description="Runs that used it keep their results, but no tool can use it again. This can't be undone.">
          {error ? (
            <p role="alert" className="mb-4 flex items-start gap-2 rounded-xl border border-danger/30 bg-danger-soft px-3 py-2 text-[13px] text-danger">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button variant="danger" loading={pending} onClick={() => void confirm()}>
              <Trash2 /> Delete
            </Button>
          </div>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
