"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef } from "react";
import { Clapperboard, Dices, Download, Eraser, Maximize2, Mic, MoreHorizontal, ScanLine, Wand2 } from "lucide-react";
import { toast } from "@/lib/client/toast";
import { useEstimate } from "@/lib/generations-client/use-estimate";
import { useSubmitGeneration } from "@/lib/generations-client/use-submit-generation";
import { useVaryEstimate, useVaryGeneration } from "@/lib/generations-client/use-vary-generation";
import { takesSeed } from "@/lib/generations/seeds";
import { useSeen } from "@/lib/client/use-seen";
import type { GenerationRequest, ToolId } from "@/lib/validation/generations";
import { plural } from "@/lib/validation/text";
import { Button, type ButtonProps } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/lazy-dropdown-menu";
import { blockedBy, blockedShort, VaryButton } from "@/components/generate/run-again";
import { toolHref } from "@/components/generate/tools";

export type { ResultMedia } from "@/lib/generations-client/result-drag";
import type { ResultMedia } from "@/lib/generations-client/result-drag";

/** The tools a result opens in as their main input ("Use as input"), by the result's kind, with what they call it. */
export const INPUT_STEPS = {
  IMAGE: [
    { tool: "EDIT", label: "Edit", title: "Find and replace part of it", icon: Eraser },
    { tool: "ENHANCE", label: "Enhance…", title: "Open Enhance with it, to choose the strength and the scale", icon: Wand2 },
    { tool: "IMAGE_TO_VIDEO", label: "Animate", title: "Make a 5 or 10 second video of it (cropped to 3:5 or 5:3 if needed)", icon: Clapperboard },
    { tool: "CONTROLNET", label: "ControlNet", title: "Use its edges, depth or pose for a new image", icon: ScanLine },
  ],
  VIDEO: [{ tool: "NARRATOR", label: "Narrate", title: "Make the person in it speak a script or an audio clip", icon: Mic }],
  AUDIO: [],
} as const satisfies Record<ResultMedia["kind"], readonly { tool: ToolId; label: string; title: string; icon: unknown }[]>;

/** A tool's page with a result as its main input (tool-page.tsx reads `input`, and focuses what is left to fill). */
export const withInputHref = (slug: string, tool: ToolId, mediaId: string) => `${toolHref(slug, tool)}?input=${encodeURIComponent(mediaId)}`;

/**
 * What a result leads to, in one click: Vary and Upscale run at once (their price on the button); Edit, Animate,
 * ControlNet and Narrate open that tool with the result as its input and the next field focused. `viewHref` (outside
 * the generate pages) lets the toasts open the runs panel where the new run appears.
 */
export function NextSteps({
  slug,
  media,
  variant = "secondary",
  viewHref,
}: {
  slug: string;
  media: ResultMedia;
  variant?: ButtonProps["variant"];
  viewHref?: string;
}) {
  return (
    <>
      <VaryButton slug={slug} generationId={media.generationId} tool={media.tool} variant={variant} viewHref={viewHref} />
      {media.kind === "IMAGE" ? <UpscaleButton slug={slug} mediaId={media.id} variant={variant} viewHref={viewHref} /> : null}
      {INPUT_STEPS[media.kind].map((step) => (
        <Button key={step.tool} asChild size="sm" variant={variant}>
          <Link href={withInputHref(slug, step.tool, media.id)} title={step.title}>
            <step.icon /> {step.label}
          </Link>
        </Button>
      ))}
    </>
  );
}

/** Enhance at 2× with the form's default strength: the run Upscale starts. */
const upscaleRun = (mediaId: string): GenerationRequest => ({ tool: "ENHANCE", params: { image: { kind: "media", id: mediaId }, strength: 0.5, scale: 2 } });

/** Upscale: Enhance at 2× at once, priced on the button once it has been on screen for a moment. */
export function UpscaleButton({ slug, mediaId, variant = "secondary", viewHref }: { slug: string; mediaId: string; variant?: ButtonProps["variant"]; viewHref?: string }) {
  const ref = useRef<HTMLButtonElement>(null);
  const seen = useSeen(ref);
  const run = useMemo(() => upscaleRun(mediaId), [mediaId]);
  const { estimate } = useEstimate(slug, seen ? run : null);
  const { submit, pending } = useSubmitGeneration(slug);
  const router = useRouter();
  const credits = estimate?.credits ?? null;
  const blocked = blockedBy(estimate);

  const onClick = async () => {
    const result = await submit(run);
    if (!result) return;
    const action = viewHref ? { label: "View", onClick: () => router.push(viewHref) } : undefined;
    if (!result.ok) toast.error("Couldn't upscale this", { description: result.error });
    else if (result.data.status === "FAILED" || result.data.status === "REFUSED") toast.error("The upscale couldn't start", { description: "See why in the runs.", action });
    else toast.success("Upscaling 2×", { description: "The new run is at the top of the runs.", action });
  };

  return (
    <Button ref={ref} size="sm" variant={variant} onClick={() => void onClick()} loading={pending} disabled={blocked !== null} title={blocked ?? "Enhance it at twice the size"}>
      {pending ? null : <Maximize2 />}
      {blocked ? `Upscale 2× · ${blockedShort(estimate)}` : credits === null ? "Upscale 2×" : `Upscale 2× · ≈ ${plural(credits, "credit")}`}
    </Button>
  );
}

/**
 * The same next steps as a menu, for a gallery tile: priced when the menu opens (its items render only then), Vary
 * and Upscale starting at once, the tools opening with the result as input, and Download.
 */
export function ResultMenu({ slug, media, label, viewHref, className }: { slug: string; media: ResultMedia; label: string; viewHref: string; className?: string }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <button type="button" aria-label={`Next steps for ${label}`} title="Next steps" className={className}>
          <MoreHorizontal className="size-4" aria-hidden="true" />
        </button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="min-w-52">
        <ResultMenuItems slug={slug} media={media} viewHref={viewHref} />
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function ResultMenuItems({ slug, media, viewHref }: { slug: string; media: ResultMedia; viewHref: string }) {
  const router = useRouter();
  const varyEstimate = useVaryEstimate(slug, media.generationId, true).data;
  const upscale = useMemo(() => (media.kind === "IMAGE" ? upscaleRun(media.id) : null), [media.kind, media.id]);
  const upscaleEstimate = useEstimate(slug, upscale).estimate;
  const varyPrice = varyEstimate?.credits ?? null;
  const upscalePrice = upscaleEstimate?.credits ?? null;
  const { vary } = useVaryGeneration(slug);
  const { submit } = useSubmitGeneration(slug);
  const seeded = takesSeed(media.tool);
  const view = { label: "View", onClick: () => router.push(viewHref) };
  const price = (credits: number | null) => (credits === null ? "" : ` · ≈ ${plural(credits, "credit")}`);

  const onVary = async () => {
    const result = await vary(media.generationId);
    if (!result) return;
    if (!result.ok) toast.error("Couldn't vary this run", { description: result.error });
    else toast.success(seeded ? "Varying with a new seed" : "Running it again", { description: "The new run is at the top of the runs.", action: view });
  };
  const onUpscale = async () => {
    if (!upscale) return;
    const result = await submit(upscale);
    if (!result) return;
    if (!result.ok) toast.error("Couldn't upscale this", { description: result.error });
    else toast.success("Upscaling 2×", { description: "The new run is at the top of the runs.", action: view });
  };

  return (
    <>
      <DropdownMenuItem onSelect={() => void onVary()} disabled={blockedBy(varyEstimate) !== null} title={blockedBy(varyEstimate) ?? undefined}>
        <Dices /> Vary{blockedBy(varyEstimate) ? ` · ${blockedShort(varyEstimate)}` : price(varyPrice)}
      </DropdownMenuItem>
      {upscale ? (
        <DropdownMenuItem onSelect={() => void onUpscale()} disabled={blockedBy(upscaleEstimate) !== null} title={blockedBy(upscaleEstimate) ?? undefined}>
          <Maximize2 /> Upscale 2×{blockedBy(upscaleEstimate) ? ` · ${blockedShort(upscaleEstimate)}` : price(upscalePrice)}
        </DropdownMenuItem>
      ) : null}
      {INPUT_STEPS[media.kind].map((step) => (
        <DropdownMenuItem key={step.tool} asChild>
          <Link href={withInputHref(slug, step.tool, media.id)} title={step.title}>
            <step.icon /> {step.label}
          </Link>
        </DropdownMenuItem>
      ))}
      {media.originalUrl ? (
        <>
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <a href={media.originalUrl} download>
              <Download /> Download
            </a>
          </DropdownMenuItem>
        </>
      ) : null}
    </>
  );
}
