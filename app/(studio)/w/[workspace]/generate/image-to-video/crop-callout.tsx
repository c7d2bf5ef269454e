"use client";

import { useState } from "react";
import { Crop } from "lucide-react";
import type { AssetDTO } from "@/lib/generations/types";
import { ratioLabel } from "@/lib/generations-client/input-checks";
import type { InputPreview } from "@/lib/generations-client/input-value";
import { Button } from "@/components/ui/button";
import { CropDialog } from "@/components/generate/on-demand-dialogs";

/** Under an image that isn't 3:5 or 5:3: says so and opens the crop helper. */
export function CropCallout({ slug, preview, onCropped }: { slug: string; preview: InputPreview & { width: number; height: number }; onCropped: (asset: AssetDTO) => void }) {
  const [open, setOpen] = useState(false);
  const url = preview.originalUrl ?? preview.thumbUrl;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-xl border border-accent/30 bg-accent-soft/60 px-3.5 py-3">
      <Crop className="size-4 shrink-0 text-accent" aria-hidden="true" />
      <p className="min-w-0 flex-1 text-[13px]">
        <span className="font-medium">This image is {ratioLabel(preview.width, preview.height)}.</span>{" "}
        <span className="text-muted">Video needs 3:5 or 5:3; crop it here, the original stays as it is.</span>
      </p>
      <Button size="sm" onClick={() => setOpen(true)} disabled={!url}>
        <Crop /> Crop
      </Button>
      {url ? (
        <CropDialog
          open={open}
          onOpenChange={setOpen}
          slug={slug}
          source={{ url, name: preview.name, width: preview.width, height: preview.height }}
          onCropped={(asset) => {
            setOpen(false);
            onCropped(asset);
          }}
        />
      ) : null}
    </div>
  );
}
