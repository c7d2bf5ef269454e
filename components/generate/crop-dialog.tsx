"use client";

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { RectangleHorizontal, RectangleVertical } from "lucide-react";
import type { AssetDTO } from "@/lib/generations/types";
import { clampCrop, largestCrop, resizeCrop, VIDEO_ANYONE_RATIOS, type CropRect, type VideoOrientation } from "@/lib/generations-client/input-checks";
import { useAssetUpload } from "@/lib/assets-client/use-asset-upload";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { FormError } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { SegmentedControl } from "@/components/generate/segmented-control";

type Drag = { mode: "move" | "resize"; pointerX: number; pointerY: number; start: CropRect };

/**
 * The crop helper of Image to video: a box locked to 3:5 or 5:3 over the image, dragged (or moved with the arrow
 * keys, resized with + and −), then cut on a canvas at full resolution and uploaded as a new PNG asset.
 */
export function CropDialog({
  open,
  onOpenChange,
  slug,
  source,
  onCropped,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  slug: string;
  source: { url: string; name: string | null; width: number; height: number };
  onCropped: (asset: AssetDTO) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Crop for video"
        description="Image to video takes a 3:5 portrait or a 5:3 landscape image. Drag the frame over the part to animate."
        className="max-w-2xl"
      >
        {open ? <CropEditor slug={slug} source={source} onCancel={() => onOpenChange(false)} onCropped={onCropped} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function CropEditor({
  slug,
  source,
  onCancel,
  onCropped,
}: {
  slug: string;
  source: { url: string; name: string | null; width: number; height: number };
  onCancel: () => void;
  onCropped: (asset: AssetDTO) => void;
}) {
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const natural = { width: image?.naturalWidth || source.width, height: image?.naturalHeight || source.height };
  const [orientation, setOrientation] = useState<VideoOrientation>(natural.width >= natural.height ? "landscape" : "portrait");
  const ratio = VIDEO_ANYONE_RATIOS[orientation];
  const [crop, setCrop] = useState<CropRect>(() => largestCrop(natural.width, natural.height, ratio));
  const [displayWidth, setDisplayWidth] = useState(0);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  const upload = useAssetUpload(slug);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const img = new Image();
    img.crossOrigin = "anonymous";
    img.decoding = "async";
    img.src = source.url;
    img
      .decode()
      .then(() => {
        if (cancelled) return;
        setImage(img);
        setCrop(largestCrop(img.naturalWidth, img.naturalHeight, VIDEO_ANYONE_RATIOS[img.naturalWidth >= img.naturalHeight ? "landscape" : "portrait"]));
        setOrientation(img.naturalWidth >= img.naturalHeight ? "landscape" : "portrait");
      })
      .catch(() => !cancelled && setLoadError("The image couldn't be loaded for cropping. Check your connection and try again."));
    return () => {
      cancelled = true;
    };
  }, [source.url]);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setDisplayWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, [image]);

  const scale = displayWidth > 0 ? displayWidth / natural.width : 0;

  const changeOrientation = (next: VideoOrientation) => {
    setOrientation(next);
    setCrop(largestCrop(natural.width, natural.height, VIDEO_ANYONE_RATIOS[next]));
  };

  const startDrag = (mode: Drag["mode"], event: PointerEvent<HTMLElement>) => {
    event.preventDefault();
    event.stopPropagation();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    drag.current = { mode, pointerX: event.clientX, pointerY: event.clientY, start: crop };
  };
  const onPointerMove = (event: PointerEvent<HTMLElement>) => {
    const current = drag.current;
    if (!current || scale === 0) return;
    const dx = (event.clientX - current.pointerX) / scale;
    const dy = (event.clientY - current.pointerY) / scale;
    if (current.mode === "move") {
      setCrop(clampCrop({ ...current.start, x: current.start.x + dx, y: current.start.y + dy }, natural.width, natural.height, ratio));
    } else {
      const byWidth = current.start.width + dx;
      const byHeight = (current.start.height + dy) * ratio;
      setCrop(resizeCrop(current.start, Math.max(byWidth, byHeight), natural.width, natural.height, ratio));
    }
  };
  const endDrag = () => {
    drag.current = null;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = (event.shiftKey ? 50 : 10) / Math.max(scale, 0.01);
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setCrop((c) => clampCrop({ ...c, x: c.x + move[0], y: c.y + move[1] }, natural.width, natural.height, ratio));
    } else if (event.key === "+" || event.key === "=" || event.key === "-") {
      event.preventDefault();
      const factor = event.key === "-" ? 0.9 : 1.1;
      setCrop((c) => {
        const width = c.width * factor;
        const centred = { x: c.x + (c.width - width) / 2, y: c.y + (c.height - width / ratio) / 2, width, height: width / ratio };
        return clampCrop(centred, natural.width, natural.height, ratio, 64);
      });
    }
  };

  const confirm = async () => {
    if (!image) return;
    setWorking(true);
    setError(null);
    try {
      const canvas = document.createElement("canvas");
      canvas.width = crop.width;
      canvas.height = crop.height;
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no canvas");
      context.drawImage(image, crop.x, crop.y, crop.width, crop.height, 0, 0, crop.width, crop.height);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
      if (!blob) throw new Error("no blob");
      const base = (source.name ?? "image").replace(/\.[a-z0-9]+$/i, "").slice(0, 80);
      const asset = await upload.upload(new File([blob], `${base}-${orientation === "portrait" ? "3x5" : "5x3"}.png`, { type: "image/png" }));
      if (asset) onCropped(asset);
    } catch {
      setError("The crop couldn't be made in this browser. Crop the image elsewhere and upload it.");
    } finally {
      setWorking(false);
    }
  };

  const uploading = upload.state.status === "uploading";
  const uploadError = upload.state.status === "error" ? upload.state.message : null;

  return (
    <div className="space-y-4">
      <SegmentedControl
        id="crop-orientation"
        labelledBy="crop-orientation-label"
        value={orientation}
        onChange={changeOrientation}
        options={[
          { value: "portrait", label: (<><RectangleVertical /> Portrait 3:5</>) },
          { value: "landscape", label: (<><RectangleHorizontal /> Landscape 5:3</>) },
        ]}
      />
      <span id="crop-orientation-label" className="sr-only">
        Shape of the video
      </span>
      {loadError ? (
        <FormError message={loadError} />
      ) : !image ? (
        <Skeleton className="h-72" />
      ) : (
        <div className="grid place-items-center rounded-xl bg-surface-2 p-2">
          <div
            ref={frame}
            className="relative max-w-full touch-none overflow-hidden select-none"
            style={{ width: `min(100%, calc(55dvh * ${natural.width / natural.height}))`, aspectRatio: `${natural.width} / ${natural.height}` }}
            onPointerMove={onPointerMove}
            onPointerUp={endDrag}
            onPointerCancel={endDrag}
          >
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={image.src} alt="" className="pointer-events-none size-full" draggable={false} />
            {scale > 0 ? (
              <div
                role="group"
                tabIndex={0}
                aria-roledescription="crop frame"
                aria-label={`Crop frame, ${crop.width} × ${crop.height} pixels at ${crop.x}, ${crop.y}. Arrow keys move it (Shift: faster); plus and minus resize it.`}
                onKeyDown={onKeyDown}
                onPointerDown={(event) => startDrag("move", event)}
                className="absolute cursor-move outline-none ring-accent focus-visible:ring-4"
                style={{
                  left: crop.x * scale,
                  top: crop.y * scale,
                  width: crop.width * scale,
                  height: crop.height * scale,
                  boxShadow: "0 0 0 9999px rgb(0 0 0 / 0.55)",
                }}
              >
                <div className="pointer-events-none absolute inset-0 border-2 border-white" />
                <div className="pointer-events-none absolute inset-0 grid grid-cols-3 grid-rows-3">
                  {Array.from({ length: 9 }, (_, i) => (
                    <span key={i} className="border border-white/20" />
                  ))}
                </div>
                <span
                  aria-hidden="true"
                  onPointerDown={(event) => startDrag("resize", event)}
                  className="absolute right-1 bottom-1 size-5 cursor-nwse-resize rounded-full border-2 border-white bg-accent shadow"
                />
              </div>
            ) : null}
          </div>
        </div>
      )}
      <p className="text-[13px] text-muted tabular-nums">
        Output: {crop.width} × {crop.height} px ({orientation === "portrait" ? "3:5" : "5:3"}), saved as a new upload. The original is kept.
      </p>
      <FormError message={error ?? uploadError} />
      {uploading ? (
        <div role="progressbar" aria-label="Uploading the crop" aria-valuenow={Math.round(upload.state.status === "uploading" ? upload.state.progress * 100 : 0)} className="h-1.5 overflow-hidden rounded-full bg-surface-2">
          <div className="h-full bg-accent transition-[width]" style={{ width: `${Math.round((upload.state.status === "uploading" ? upload.state.progress : 0) * 100)}%` }} />
        </div>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={uploading ? upload.cancel : onCancel}>
          Cancel
        </Button>
        <Button onClick={() => void confirm()} loading={working} disabled={!image}>
          Crop and use
        </Button>
      </div>
    </div>
  );
}
