"use client";

import { forwardRef, type ComponentProps } from "react";
import { FileQuestion, Play, RefreshCw, X } from "lucide-react";
import { cn } from "@/lib/cn";
import { formatFps, ratioLabel } from "@/lib/generations-client/input-checks";
import { formatDuration, type InputPreview } from "@/lib/generations-client/input-value";
import { Skeleton } from "@/components/ui/skeleton";
import { FadeInImage, MediaImage } from "@/components/generate/media-image";
import { INPUT_KINDS, type InputKind } from "@/components/generate/input-kinds";
import { InputSourceMenu, type InputSource } from "@/components/generate/input-source-menu";
import { TOOLS_BY_ID } from "@/components/generate/tools";

/** "1024 × 1536 · 2:3", "0:12 · 30 fps · 1080 × 1920": what the tools care about. */
export function describeInput(preview: InputPreview): string {
  const parts: string[] = [];
  if (preview.durationMs !== null) parts.push(formatDuration(preview.durationMs));
  if (preview.frameRate !== null) parts.push(`${formatFps(preview.frameRate)} fps`);
  if (preview.width && preview.height) {
    parts.push(`${preview.width} × ${preview.height}`);
    if (preview.kind === "IMAGE") parts.push(ratioLabel(preview.width, preview.height));
  }
  return parts.join(" · ");
}

/**
 * What a chosen input is called: an upload's file name, a gallery item's prompt, or for a result made without one
 * (Enhance) the tool that made it.
 */
export function inputName(preview: InputPreview): string {
  if (preview.name) return preview.name;
  if (preview.tool) return `${TOOLS_BY_ID[preview.tool].name} result`;
  return `Chosen ${INPUT_KINDS[preview.kind].noun}`;
}

const OverlayButton = forwardRef<HTMLButtonElement, ComponentProps<"button">>(function OverlayButton({ className, ...props }, ref) {
  return (
    <button
      ref={ref}
      type="button"
      className={cn(
        "inline-flex h-8 items-center gap-1.5 rounded-lg bg-black/60 px-2.5 text-[12px] font-medium text-white backdrop-blur-sm hover:bg-black/75 [&_svg]:size-3.5",
        className,
      )}
      {...props}
    />
  );
});

/** The chosen input: a large preview for a tool's main input, a row for secondary ones. */
export function InputPreviewCard({
  kind,
  preview,
  loading,
  size,
  label,
  gallery,
  onSource,
  onRemove,
  invalid,
}: {
  kind: InputKind;
  preview: InputPreview | null;
  loading: boolean;
  size: "large" | "compact";
  label: string;
  gallery: boolean;
  onSource: (source: InputSource) => void;
  onRemove?: () => void;
  invalid?: boolean;
}) {
  const Icon = INPUT_KINDS[kind].icon;
  const meta = preview ? describeInput(preview) : "";
  const name = preview ? inputName(preview) : `${INPUT_KINDS[kind].noun[0]!.toUpperCase()}${INPUT_KINDS[kind].noun.slice(1)} from an earlier run`;
  const frame = cn("overflow-hidden rounded-2xl border bg-surface", invalid ? "border-danger" : "border-line");

  if (loading) return <Skeleton className={size === "large" ? "h-56" : "h-16"} />;

  if (size === "large" && preview && kind !== "AUDIO") {
    return (
      <div className={frame}>
        <div className="relative grid min-h-40 place-items-center bg-surface-2 bg-[conic-gradient(rgb(var(--line)/0.5)_25%,transparent_0_50%,rgb(var(--line)/0.5)_0_75%,transparent_0)] bg-[length:16px_16px]">
          {kind === "VIDEO" && preview.originalUrl ? (
            <video
              src={preview.originalUrl}
              poster={preview.thumbUrl ?? undefined}
              controls
              playsInline
              preload="metadata"
              aria-label={`${label}: ${name}`}
              className="max-h-72 w-full bg-black object-contain"
            />
          ) : preview.thumbUrl || preview.originalUrl ? (
            <FadeInImage src={(preview.thumbUrl ?? preview.originalUrl)!} alt={`${label}: ${name}`} className="relative max-h-72 w-auto object-contain" />
          ) : (
            <Icon className="size-8 text-muted" aria-hidden="true" />
          )}
          <div className="absolute top-2 right-2 flex gap-1.5">
            <InputSourceMenu
              gallery={gallery}
              onSource={onSource}
              trigger={
                <OverlayButton aria-label={`Replace ${label.toLowerCase()}`}>
                  <RefreshCw /> Replace
                </OverlayButton>
              }
            />
            {onRemove ? (
              <OverlayButton aria-label={`Remove ${label.toLowerCase()}`} onClick={onRemove} className="px-2">
                <X />
              </OverlayButton>
            ) : null}
          </div>
        </div>
        <div className="flex items-center gap-2 px-3 py-2 text-[12px]">
          <span className="min-w-0 flex-1 truncate text-muted" title={name}>
            {name}
          </span>
          {meta ? <span className="shrink-0 font-medium tabular-nums">{meta}</span> : null}
        </div>
      </div>
    );
  }

  return (
    <div className={cn(frame, "space-y-2 p-2.5")}>
      <div className="flex items-center gap-3">
        <div className="relative grid size-14 shrink-0 place-items-center overflow-hidden rounded-xl bg-surface-2">
          {preview && kind !== "AUDIO" && (preview.thumbUrl || (kind === "IMAGE" && preview.originalUrl)) ? (
            <MediaImage src={(preview.thumbUrl ?? preview.originalUrl)!} alt="" className="size-full object-cover" />
          ) : preview ? (
            <Icon className="size-5 text-muted" aria-hidden="true" />
          ) : (
            <FileQuestion className="size-5 text-muted" aria-hidden="true" />
          )}
          {kind === "VIDEO" && preview ? (
            <span className="absolute inset-0 grid place-items-center bg-black/25 text-white">
              <Play className="size-4 fill-current" aria-hidden="true" />
            </span>
          ) : null}
        </div>
        <div className="min-w-0 flex-1">
          <p className="truncate text-[13px] font-medium" title={name}>
            {name}
          </p>
          <p className="truncate text-[12px] text-muted tabular-nums">
            {preview ? meta || INPUT_KINDS[kind].formats : "Not in the recent lists; it is still used unless you replace it."}
          </p>
        </div>
        <InputSourceMenu
          gallery={gallery}
          onSource={onSource}
          onRemove={onRemove}
          trigger={
            <button
              type="button"
              aria-label={`Change ${label.toLowerCase()}`}
              className="inline-flex h-8 shrink-0 items-center gap-1.5 rounded-lg border border-line px-2.5 text-[12px] font-medium hover:bg-surface-2"
            >
              <RefreshCw className="size-3.5" /> Change
            </button>
          }
        />
      </div>
      {kind === "AUDIO" && preview?.originalUrl ? (
        <audio src={preview.originalUrl} controls preload="none" aria-label={`${label}: ${name}`} className="h-9 w-full" />
      ) : null}
    </div>
  );
}
