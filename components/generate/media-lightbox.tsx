"use client";

import { useEffect } from "react";
import { ChevronLeft, ChevronRight, Download, ExternalLink } from "lucide-react";
import type { GenerationSummary, MediaDTO } from "@/lib/generations/types";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { MediaImage } from "@/components/generate/media-image";
import { NextSteps } from "@/components/generate/next-steps";
import { SameSeedLink } from "@/components/generate/run-again";
import { SeedChip } from "@/components/generate/seed-chip";
import { TOOLS_BY_ID } from "@/components/generate/tools";

/**
 * A run's finished media, full size: images fit the screen, videos play; ← → step through a batch. Members take it
 * on from here (Vary, Upscale, Edit, Animate, ControlNet or Narrate: components/generate/next-steps.tsx) or keep its
 * seed with a new prompt.
 */
export function MediaLightbox({
  slug,
  canGenerate,
  generation,
  index,
  onIndexChange,
  onClose,
}: {
  slug: string;
  canGenerate: boolean;
  generation: GenerationSummary | null;
  index: number;
  onIndexChange: (index: number) => void;
  onClose: () => void;
}) {
  const items = generation?.media.filter((m) => m.status === "READY" && m.originalUrl) ?? [];
  const item: MediaDTO | undefined = items[Math.min(index, items.length - 1)];
  const count = items.length;

  useEffect(() => {
    if (!generation || count < 2) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLVideoElement) return;
      if (event.key === "ArrowRight") onIndexChange((index + 1) % count);
      if (event.key === "ArrowLeft") onIndexChange((index - 1 + count) % count);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [generation, index, count, onIndexChange]);

  const tool = generation ? TOOLS_BY_ID[generation.tool] : null;
  const title = tool ? `${tool.name}${count > 1 ? ` · ${index + 1} of ${count}` : ""}` : "Result";

  return (
    <Dialog open={generation !== null && item !== undefined} onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent title={title} description={generation?.prompt ?? undefined} className="max-w-5xl p-4 sm:p-5 [&_h2]:text-base [&>div:first-child>p]:line-clamp-2">
        {item ? (
          <div className="space-y-3">
            <div className="relative grid place-items-center overflow-hidden rounded-xl bg-black">
              {item.kind === "VIDEO" ? (
                <video
                  key={item.id}
                  src={item.originalUrl!}
                  poster={item.thumbUrl ?? undefined}
                  controls
                  autoPlay
                  playsInline
                  loop
                  className="max-h-[70dvh] w-full object-contain"
                />
              ) : (
                <MediaImage key={item.id} src={item.originalUrl!} alt={generation?.prompt ?? "Generated image"} loading="eager" className="max-h-[70dvh] w-auto object-contain" />
              )}
              {count > 1 ? (
                <>
                  <NavButton side="left" label="Previous" onClick={() => onIndexChange((index - 1 + count) % count)} />
                  <NavButton side="right" label="Next" onClick={() => onIndexChange((index + 1) % count)} />
                </>
              ) : null}
            </div>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div className="flex min-w-0 flex-wrap items-center gap-2">
                <p className="text-[12px] text-muted tabular-nums">
                  {[item.width && item.height ? `${item.width} × ${item.height}` : null, generation?.modelLabel].filter(Boolean).join(" · ")}
                </p>
                {generation && generation.seed !== null ? <SeedChip seed={generation.seed} batch={generation.media.length} /> : null}
              </div>
              <div className="flex flex-wrap gap-2">
                {generation && canGenerate ? (
                  <>
                    <NextSteps slug={slug} media={{ ...item, generationId: generation.id, tool: generation.tool, prompt: generation.prompt }} />
                    <SameSeedLink slug={slug} generationId={generation.id} tool={generation.tool} variant="secondary" />
                  </>
                ) : null}
                <Button asChild size="sm" variant="secondary">
                  <a href={item.originalUrl!} target="_blank" rel="noreferrer">
                    <ExternalLink /> Open original
                  </a>
                </Button>
                <Button asChild size="sm" variant="secondary">
                  <a href={item.originalUrl!} download>
                    <Download /> Download
                  </a>
                </Button>
              </div>
            </div>
          </div>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function NavButton({ side, label, onClick }: { side: "left" | "right"; label: string; onClick: () => void }) {
  const Icon = side === "left" ? ChevronLeft : ChevronRight;
  return (
    <button
      type="button"
      aria-label={label}
      onClick={onClick}
      className={`absolute top-1/2 ${side === "left" ? "left-2" : "right-2"} grid size-10 -translate-y-1/2 place-items-center rounded-full bg-black/55 text-white backdrop-blur hover:bg-black/75`}
    >
      <Icon className="size-5" />
    </button>
  );
}
