"use client";

import { useState, type PointerEvent } from "react";
import { MediaImage } from "@/components/generate/media-image";

type Side = { url: string; label: string };

/**
 * A result over the input it was made from: the result on the right of the divider, the input on its left. Drag
 * anywhere on the picture, or use the slider (arrow keys, Home, End), to move the divider.
 */
export function BeforeAfter({ before, after, width, height }: { before: Side; after: Side; width: number | null; height: number | null }) {
  const [position, setPosition] = useState(50);
  const [dragging, setDragging] = useState(false);
  const follow = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    setPosition(Math.round(Math.min(100, Math.max(0, ((event.clientX - box.left) / box.width) * 100))));
  };
  return (
    <div className="mx-auto max-w-4xl space-y-3">
      <div
        className="relative touch-none overflow-hidden rounded-xl bg-surface-2 select-none"
        style={{ aspectRatio: width && height ? `${width} / ${height}` : "1 / 1" }}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          setDragging(true);
          follow(event);
        }}
        onPointerMove={(event) => dragging && follow(event)}
        onPointerUp={() => setDragging(false)}
        onPointerCancel={() => setDragging(false)}
      >
        {/* The input is stretched to the result's box: an upscale is the same picture at a larger size. */}
        <MediaImage src={before.url} alt={`Before: ${before.label}`} loading="eager" className="absolute inset-0 size-full object-cover" />
        <MediaImage
          src={after.url}
          alt={`After: ${after.label}`}
          loading="eager"
          className="absolute inset-0 size-full object-cover"
          style={{ clipPath: `inset(0 0 0 ${position}%)` }}
        />
        <div className="pointer-events-none absolute inset-y-0 w-0.5 -translate-x-1/2 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.25)]" style={{ left: `${position}%` }}>
          <span className="absolute top-1/2 left-1/2 grid size-8 -translate-1/2 place-items-center rounded-full bg-white text-[11px] font-semibold text-black shadow-pop">⇆</span>
        </div>
        <span className="pointer-events-none absolute top-2 left-2 rounded-md bg-black/55 px-1.5 py-0.5 text-[11px] font-medium text-white">Before</span>
        <span className="pointer-events-none absolute top-2 right-2 rounded-md bg-black/55 px-1.5 py-0.5 text-[11px] font-medium text-white">After</span>
      </div>
      <input
          type="range"
          min={0}
          max={100}
          value={position}
          onChange={(event) => setPosition(Number(event.target.value))}
          aria-label="Divider between before and after"
          aria-valuetext={`${position}% before on the left, ${100 - position}% after on the right`}
          className="w-full accent-accent"
        />
    </div>
  );
}
