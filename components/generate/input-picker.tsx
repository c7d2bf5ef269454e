"use client";

import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from "react";
import { ChevronDown, FolderOpen, Images, Upload, X } from "lucide-react";
import { cn } from "@/lib/cn";
import { useAssetUpload } from "@/lib/assets-client/use-asset-upload";
import { useInputPreview } from "@/lib/generations-client/use-input-preview";
import { useModifierKey } from "@/lib/client/use-modifier-key";
import { inputFromAsset, type InputPreview, type InputValue } from "@/lib/generations-client/input-value";
import { probeMediaElement, probeVideo } from "@/lib/generations-client/video-probe";
import { Spinner } from "@/components/ui/spinner";
import { droppedResult, RESULT_DRAG_TYPE } from "@/lib/generations-client/result-drag";
import { FieldMessage } from "@/components/generate/field-group";
import { useFormDisabled } from "@/components/generate/form-disabled";
import { InputPreviewCard } from "@/components/generate/input-preview-card";
import type { TileNote } from "@/components/generate/media-browser-dialog";
import { MediaBrowserDialog } from "@/components/generate/on-demand-dialogs";
import { MediaImage } from "@/components/generate/media-image";
import { acceptAttribute, acceptsFile, acceptsUpload, INPUT_KINDS, unsupportedMessage, type InputKind } from "@/components/generate/input-kinds";
import { InputSourceMenu, type InputSource } from "@/components/generate/input-source-menu";

export type VideoFacts = { width: number | null; height: number | null; frameRate: number | null; durationMs: number | null };

/**
 * Chooses one input (image, video or audio) for a tool: drop or browse a file, paste an image, or pick from the
 * workspace's uploads or gallery. A new file is checked in the browser first (type; for videos, size and frame rate
 * through `checkVideo`), then uploaded with progress and kept as a workspace asset.
 */
export function InputPicker({
  id,
  slug,
  kind,
  label,
  hint,
  value,
  onChange,
  error,
  optional,
  pasteTarget,
  checkVideo,
  noteFor,
  size = "large",
  children,
}: {
  /** The field's path ("image", "controlNet.image"): errors focus it. */
  id: string;
  slug: string;
  kind: InputKind;
  label: string;
  hint?: ReactNode;
  value: InputValue | null;
  onChange: (value: InputValue | null) => void;
  error?: string;
  optional?: boolean;
  /** Takes a pasted image when focus isn't inside another picker. One per form. */
  pasteTarget?: boolean;
  /** Refuses a video before it is uploaded (the narrator's limits). */
  checkVideo?: (video: VideoFacts) => string | null;
  noteFor?: (preview: InputPreview) => TileNote | null;
  size?: "large" | "compact";
  /** Extras under the preview, e.g. the crop helper. */
  children?: ReactNode;
}) {
  const upload = useAssetUpload(slug);
  const resolved = useInputPreview(slug, value, kind);
  const modifier = useModifierKey();
  const disabled = useFormDisabled();
  const [probing, setProbing] = useState<string | null>(null);
  const [localPreview, setLocalPreview] = useState<string | null>(null);
  const [browser, setBrowser] = useState<{ open: boolean; tab: "assets" | "gallery" }>({ open: false, tab: "assets" });
  const [dragging, setDragging] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => () => {
    if (localPreview) URL.revokeObjectURL(localPreview);
  }, [localPreview]);

  const takeFile = async (file: File) => {
    upload.clear();
    if (!acceptsFile(kind, file)) {
      upload.fail(file.name, unsupportedMessage(kind, file.name));
      return;
    }
    let frameRate: number | null = null;
    if (kind === "VIDEO") {
      setProbing(file.name);
      try {
        const probe = await probeVideo(file);
        const facts: VideoFacts = probe
          ? { width: probe.width, height: probe.height, frameRate: probe.frameRate, durationMs: probe.durationMs }
          : { ...(await probeMediaElement(file, "video")), frameRate: null };
        frameRate = facts.frameRate;
        const problem = checkVideo?.(facts);
        if (problem) {
          upload.fail(file.name, `${problem} Nothing was uploaded.`);
          return;
        }
      } finally {
        setProbing(null);
      }
    }
    if (kind === "IMAGE") setLocalPreview(URL.createObjectURL(file));
    // The server reads the content, and refuses what isn't what its name says with every type Atelier takes; this
    // picker says what it takes instead.
    const asset = await upload.upload(file, { unsupported: unsupportedMessage(kind, file.name, { byContent: true }) });
    setLocalPreview(null);
    if (!asset) return;
    if (!acceptsUpload(kind, asset)) {
      // Kept in Uploads (another tool may take it), but not chosen: this input can't use it.
      upload.fail(file.name, unsupportedMessage(kind, file.name, { byContent: true }));
      return;
    }
    onChange(inputFromAsset(asset, { frameRate }));
  };
  const takePastedFile = useEffectEvent((file: File) => void takeFile(file));

  useEffect(() => {
    if (kind !== "IMAGE" || disabled) return;
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith("image/"));
      if (!file) return;
      const active = document.activeElement;
      const inside = Boolean(root.current && active && root.current.contains(active));
      const inOtherPicker = !inside && active instanceof HTMLElement && active.closest("[data-input-picker]") !== null;
      const pastingText = Boolean(event.clipboardData?.getData("text/plain"));
      if (inside || (pasteTarget && !inOtherPicker && !pastingText)) {
        event.preventDefault();
        takePastedFile(file);
      }
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [kind, pasteTarget, disabled]);

  const onSource = (source: InputSource) => {
    if (source === "upload") fileInput.current?.click();
    else setBrowser({ open: true, tab: source });
  };

  const busy = upload.state.status === "uploading" || probing !== null;
  const invalid = Boolean(error);

  return (
    <div
      ref={root}
      id={id}
      tabIndex={-1}
      data-input-picker=""
      role="group"
      aria-labelledby={`${id}-label`}
      aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
      className="space-y-2 outline-none"
      onDragOver={(event) => {
        const types = event.dataTransfer.types;
        if (disabled || !(types.includes("Files") || (kind !== "AUDIO" && types.includes(RESULT_DRAG_TYPE)))) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        if (busy || disabled) return;
        // A result dragged from the runs panel or the gallery (components/generate/next-steps.tsx).
        if (event.dataTransfer.types.includes(RESULT_DRAG_TYPE)) {
          const result = droppedResult(event.dataTransfer, kind);
          upload.clear();
          if (result) onChange(result);
          else upload.fail(label, `${label} takes ${kind === "VIDEO" ? "a video" : "an image"}: that result can't go here.`);
          return;
        }
        const file = event.dataTransfer.files[0];
        if (file) void takeFile(file);
      }}
    >
      <div className="flex items-baseline justify-between gap-2">
        <span id={`${id}-label`} className="text-[13px] font-medium">
          {label}
          {optional ? <span className="ml-1.5 font-normal text-muted">Optional</span> : null}
        </span>
      </div>

      <input
        ref={fileInput}
        type="file"
        accept={acceptAttribute(kind)}
        className="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) void takeFile(file);
        }}
      />

      <div className={cn("relative rounded-2xl transition", dragging && "ring-2 ring-accent ring-offset-2 ring-offset-canvas")}>
        {busy ? (
          <UploadProgress
            fileName={probing ?? (upload.state.status === "uploading" ? upload.state.fileName : "")}
            progress={upload.state.status === "uploading" ? upload.state.progress : null}
            checking={probing !== null}
            localPreview={localPreview}
            onCancel={upload.cancel}
          />
        ) : value ? (
          <InputPreviewCard
            kind={kind}
            preview={resolved.preview}
            loading={resolved.loading}
            size={size}
            label={label}
            gallery={kind !== "AUDIO"}
            onSource={onSource}
            onRemove={optional ? () => onChange(null) : undefined}
            invalid={invalid}
          />
        ) : (
          <DropZone kind={kind} size={size} invalid={invalid} dragging={dragging} pasteHint={kind === "IMAGE" ? `${modifier}+V` : null} onSource={onSource} />
        )}
        {dragging && value && !busy ? (
          <div className="pointer-events-none absolute inset-0 grid place-items-center rounded-2xl bg-accent/15 text-sm font-medium text-accent backdrop-blur-[1px]">
            Drop to replace
          </div>
        ) : null}
      </div>

      {upload.state.status === "error" ? (
        <div role="alert" className="flex items-start gap-2 rounded-xl border border-danger/30 bg-danger-soft px-3 py-2 text-[13px] text-danger">
          <p className="min-w-0 flex-1">{upload.state.message}</p>
          <button type="button" aria-label="Dismiss" onClick={upload.clear} className="rounded p-0.5 hover:bg-danger/10">
            <X className="size-3.5" />
          </button>
        </div>
      ) : null}

      {value && !busy ? children : null}
      <FieldMessage id={id} error={error} hint={hint} />

      <MediaBrowserDialog
        slug={slug}
        kind={kind}
        open={browser.open}
        tab={browser.tab}
        onTabChange={(tab) => setBrowser((b) => ({ ...b, tab }))}
        onOpenChange={(open) => setBrowser((b) => ({ ...b, open }))}
        value={value}
        onPick={(next) => {
          upload.clear();
          onChange(next);
        }}
        noteFor={noteFor}
      />
    </div>
  );
}

function DropZone({
  kind,
  size,
  invalid,
  dragging,
  pasteHint,
  onSource,
}: {
  kind: InputKind;
  size: "large" | "compact";
  invalid: boolean;
  dragging: boolean;
  pasteHint: string | null;
  onSource: (source: InputSource) => void;
}) {
  const spec = INPUT_KINDS[kind];
  const Icon = spec.icon;
  const frame = cn(
    "rounded-2xl border-2 border-dashed transition-colors",
    dragging ? "border-accent bg-accent-soft/60" : invalid ? "border-danger/60 bg-danger-soft/30" : "border-line bg-surface/50 hover:border-ink/20",
  );
  if (size === "compact") {
    return (
      <div className={cn(frame, "flex items-center gap-3 px-3 py-2.5")}>
        <span className="grid size-9 shrink-0 place-items-center rounded-xl bg-accent-soft text-accent">
          <Icon className="size-4" aria-hidden="true" />
        </span>
        <div className="min-w-0 flex-1">
          <p className="truncate text-[13px] font-medium">
            Drop a file<span className="pointer-coarse:hidden">{pasteHint ? " or paste" : ""}</span>
          </p>
          <p className="truncate text-[12px] text-muted">{spec.formats}</p>
        </div>
        <InputSourceMenu
          gallery={kind !== "AUDIO"}
          onSource={onSource}
          trigger={
            <button
              type="button"
              className="inline-flex h-8 shrink-0 items-center gap-1.5 rounded-lg border border-line bg-surface px-2.5 text-[12px] font-medium shadow-xs hover:bg-surface-2"
            >
              <Upload className="size-3.5 text-muted" aria-hidden="true" /> Choose
              <ChevronDown className="size-3.5 text-muted" aria-hidden="true" />
            </button>
          }
        />
      </div>
    );
  }
  return (
    <div className={cn(frame, "flex flex-col items-center gap-3 px-4 py-7 text-center")}>
      <span className="grid size-11 shrink-0 place-items-center rounded-xl bg-accent-soft text-accent">
        <Icon className="size-5" aria-hidden="true" />
      </span>
      <div className="min-w-0">
        <p className="text-[13px] font-medium">
          Drop {/^[aeiou]/.test(spec.noun) ? "an" : "a"} {spec.noun} here
          {pasteHint ? (
            <span className="font-normal text-muted pointer-coarse:hidden">
              {" "}
              or paste with <kbd className="rounded border border-line bg-surface px-1 font-sans text-[11px]">{pasteHint}</kbd>
            </span>
          ) : null}
        </p>
        <p className="text-[12px] text-muted">{spec.formats}</p>
      </div>
      <div className="flex flex-wrap justify-center gap-1.5">
        <SourceButton onClick={() => onSource("upload")} icon={<Upload />} label="Browse files" />
        <SourceButton onClick={() => onSource("assets")} icon={<FolderOpen />} label="Uploads" />
        {kind !== "AUDIO" ? <SourceButton onClick={() => onSource("gallery")} icon={<Images />} label="Gallery" /> : null}
      </div>
    </div>
  );
}

function SourceButton({ onClick, icon, label }: { onClick: () => void; icon: ReactNode; label: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="inline-flex h-8 items-center gap-1.5 rounded-lg border border-line bg-surface px-2.5 text-[12px] font-medium shadow-xs hover:bg-surface-2 [&_svg]:size-3.5 [&_svg]:text-muted"
    >
      {icon}
      {label}
    </button>
  );
}

function UploadProgress({
  fileName,
  progress,
  checking,
  localPreview,
  onCancel,
}: {
  fileName: string;
  progress: number | null;
  checking: boolean;
  localPreview: string | null;
  onCancel: () => void;
}) {
  const percent = progress === null ? null : Math.round(progress * 100);
  return (
    <div className="flex items-center gap-3 rounded-2xl border border-line bg-surface p-3" aria-live="polite">
      <div className="grid size-14 shrink-0 place-items-center overflow-hidden rounded-xl bg-surface-2">
        {localPreview ? <MediaImage src={localPreview} alt="" className="size-full object-cover opacity-70" /> : <Spinner className="text-muted" />}
      </div>
      <div className="min-w-0 flex-1">
        <p className="truncate text-[13px] font-medium">{fileName}</p>
        <div
          role="progressbar"
          aria-label={checking ? "Checking the video" : "Uploading"}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          className="mt-2 h-1.5 overflow-hidden rounded-full bg-surface-2"
        >
          <div
            className={cn("h-full rounded-full bg-accent transition-[width] duration-200", percent === null && "w-1/3 animate-pulse")}
            style={percent === null ? undefined : { width: `${Math.max(percent, 3)}%` }}
          />
        </div>
        <p className="mt-1 text-[12px] text-muted tabular-nums">
          {checking ? "Checking frame rate and size…" : percent === 100 ? "Processing…" : `Uploading… ${percent ?? 0}%`}
        </p>
      </div>
      {checking ? null : (
        <button type="button" onClick={onCancel} className="h-8 shrink-0 rounded-lg px-2.5 text-[12px] font-medium text-muted hover:bg-surface-2 hover:text-ink">
          Cancel
        </button>
      )}
    </div>
  );
}
