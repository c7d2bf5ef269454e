"use client";

import Link from "next/link";
import { useState } from "react";
import { AlertTriangle, Ban, Columns2, EyeOff, Info, Play, RotateCcw, SlidersHorizontal, Trash2, X } from "lucide-react";
import type { GenerationSummary, MediaDTO } from "@/lib/generations/types";
import { cn } from "@/lib/cn";
import { timeAgo } from "@/lib/client/time-ago";
import { chargeLabel, credits, withheldSentence } from "@/lib/generations-client/charge-label";
import { elapsedSeconds, formatElapsed, isActiveStatus, isAtProvider } from "@/lib/generations-client/generation-status";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { MediaImage } from "@/components/generate/media-image";
import { resultDragProps } from "@/lib/generations-client/result-drag";
import { SameSeedLink, VaryButton } from "@/components/generate/run-again";
import { SeedChip } from "@/components/generate/seed-chip";
import { StatusChip } from "@/components/generate/status-chip";
import { toolHref, TOOLS_BY_ID } from "@/components/generate/tools";

const QOLABA_CANNOT_STOP = "Qolaba can't stop a task; it may still charge.";

/** One run in the queue: what, its state and time, its media as they finish, and what can be done next. */
export function GenerationCard({
  slug,
  generation,
  now,
  canGenerate,
  retrying,
  onRetry,
  cancelling,
  onCancel,
  onOpen,
}: {
  slug: string;
  generation: GenerationSummary;
  now: number;
  canGenerate: boolean;
  retrying: boolean;
  onRetry: () => void;
  /** A cancel request from this tab is on its way. */
  cancelling: boolean;
  onCancel: () => void;
  onOpen: (mediaIndex: number) => void;
}) {
  const tool = TOOLS_BY_ID[generation.tool];
  const Icon = tool.icon;
  const [confirming, setConfirming] = useState(false);
  const active = isActiveStatus(generation.status);
  // A cancel asked for while the create was on its way: the run says so until the worker settles it.
  const status = active && generation.cancelRequested ? "CANCELLING" : generation.status;
  const failed = generation.status === "FAILED" || generation.status === "REFUSED";
  const qolaba = generation.provider === "QOLABA";
  const elapsed = formatElapsed(elapsedSeconds(generation, now));
  const readyMedia = generation.media.filter((m) => m.status === "READY" && m.originalUrl);
  // A run succeeds only with a READY output (lib/generations/run/poll-step.ts), and outputs leave a run only when its
  // items are emptied from the trash (lib/data/trash.ts deletes their rows): a finished success with none left had
  // all its results deleted for good.
  const deletedForGood = generation.status === "SUCCEEDED" && !generation.media.some((m) => m.status === "READY");
  const charge = chargeLabel(generation);
  const withheld = withheldSentence(generation.media);
  const meta = [generation.createdBy, timeAgo(generation.createdAt, now)].filter(Boolean).join(" · ");
  const requestCancel = () => (isAtProvider(generation.status) ? setConfirming(true) : onCancel());

  return (
    <article
      aria-label={`${tool.name} run, ${status.toLowerCase()}`}
      data-generation-id={generation.id}
      className={cn("animate-pop-in rounded-2xl border bg-surface p-3.5 shadow-card sm:p-4", active ? "border-accent/30" : "border-line")}
    >
      <header className="flex items-start gap-3">
        <span className="grid size-8 shrink-0 place-items-center rounded-lg bg-surface-2 text-muted" title={tool.name}>
          <Icon className="size-4" aria-hidden="true" />
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <h3 className="text-[13px] font-semibold">{tool.name}</h3>
            {generation.modelLabel ? <span className="truncate text-[12px] text-muted">{generation.modelLabel}</span> : null}
          </div>
          <p className={cn("mt-0.5 line-clamp-2 text-[13px] break-words", generation.prompt ? "text-ink/90" : "text-muted italic")}>
            {generation.prompt || "No prompt"}
          </p>
        </div>
        <div className="flex shrink-0 flex-col items-end gap-1">
          <StatusChip status={status} />
          <span className="text-[11px] text-muted tabular-nums" title={active ? "Elapsed" : "Took"}>
            {active ? elapsed : `took ${elapsed}`}
          </span>
        </div>
      </header>

      {failed ? (
        <div className="mt-3 flex gap-2 rounded-xl bg-danger-soft px-3 py-2.5 text-[13px] text-danger">
          {generation.status === "REFUSED" ? <Ban className="mt-0.5 size-4 shrink-0" aria-hidden="true" /> : <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />}
          <p>{generation.errorMessage ?? (generation.status === "REFUSED" ? "The provider refused this content." : "This run failed.")}</p>
        </div>
      ) : null}

      {withheld ? (
        <p className="mt-3 flex gap-2 rounded-xl bg-surface-2 px-3 py-2 text-[13px] text-ink/90" data-testid="withheld">
          <EyeOff className="mt-0.5 size-4 shrink-0 text-muted" aria-hidden="true" />
          {withheld}.
        </p>
      ) : null}

      {status === "CANCELLING" || status === "CANCELLED" ? (
        <p className="mt-3 flex gap-2 rounded-xl bg-surface-2 px-3 py-2 text-[13px] text-muted">
          <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <span>
            {status === "CANCELLING"
              ? "Cancelling: stopping it at the provider."
              : generation.charge.basis === "NOT_SENT"
                ? "Cancelled before it was sent."
                : readyMedia.length > 0
                  ? "Cancelled; the results that arrived are kept."
                  : "Cancelled."}
            {qolaba && generation.charge.basis !== "NOT_SENT" ? ` ${QOLABA_CANNOT_STOP}` : ""}
          </span>
        </p>
      ) : generation.cancelRequested && !active ? (
        <p className="mt-3 flex gap-2 rounded-xl bg-surface-2 px-3 py-2 text-[13px] text-muted">
          <Info className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          It finished before it could be cancelled; its results are kept.
        </p>
      ) : null}

      {deletedForGood ? (
        <p className="mt-3 flex gap-2 rounded-xl bg-surface-2 px-3 py-2 text-[13px] text-muted" data-testid="results-deleted">
          <Trash2 className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          Its results were deleted for good (emptied from the trash).
        </p>
      ) : null}

      <MediaStrip generation={generation} active={active} readyMedia={readyMedia} onOpen={onOpen} />

      <footer className="mt-3 flex flex-wrap items-center justify-between gap-2">
        <div className="flex min-w-0 items-center gap-2">
          <p className="min-w-0 truncate text-[11px] text-muted">
            {meta}
            {" · "}
            <span title={charge.detail} data-testid="charge">
              {charge.text}
            </span>
          </p>
          {generation.seed !== null ? <SeedChip seed={generation.seed} batch={generation.media.length} className="shrink-0" /> : null}
        </div>
        <div className="flex flex-wrap justify-end gap-1.5">
          {generation.canCancel ? (
            <Button size="sm" variant="danger-ghost" onClick={requestCancel} loading={cancelling} aria-label={`Cancel this ${tool.name} run`}>
              {cancelling ? null : <X />} Cancel
            </Button>
          ) : null}
          {failed && generation.retried ? (
            <span className="inline-flex items-center gap-1 px-2 text-[12px] text-muted">
              <RotateCcw className="size-3.5" aria-hidden="true" /> Retried
            </span>
          ) : failed && canGenerate ? (
            <Button size="sm" variant="secondary" onClick={onRetry} loading={retrying}>
              {retrying ? null : <RotateCcw />} Retry
            </Button>
          ) : null}
          {readyMedia.length >= 2 && readyMedia.length <= 4 ? (
            <Button asChild size="sm" variant="ghost">
              <Link href={`/w/${encodeURIComponent(slug)}/gallery/compare?ids=${readyMedia.map((m) => m.id).join(",")}`} title="This run's results side by side">
                <Columns2 /> Compare
              </Link>
            </Button>
          ) : null}
          {canGenerate ? (
            <>
              <VaryButton slug={slug} generationId={generation.id} tool={generation.tool} />
              <SameSeedLink slug={slug} generationId={generation.id} tool={generation.tool} />
              <Button asChild size="sm" variant="ghost">
                <Link href={toolHref(slug, generation.tool, generation.id)}>
                  <SlidersHorizontal /> Reuse settings
                </Link>
              </Button>
            </>
          ) : null}
        </div>
      </footer>

      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Cancel this run?"
        description={
          qolaba
            ? `${QOLABA_CANNOT_STOP} Atelier stops waiting for it; results that already arrived are kept.`
            : `RenderNet already has it, so it may already be charged${generation.estimatedCredits !== null ? ` (${credits(generation.estimatedCredits)})` : ""}. Atelier deletes it there; results that already arrived are kept.`
        }
        confirmLabel="Cancel run"
        cancelLabel="Keep it running"
        pending={cancelling}
        onConfirm={() => {
          setConfirming(false);
          onCancel();
        }}
      />
    </article>
  );
}

function MediaStrip({
  generation,
  active,
  readyMedia,
  onOpen,
}: {
  generation: GenerationSummary;
  active: boolean;
  readyMedia: MediaDTO[];
  onOpen: (index: number) => void;
}) {
  // A failed run's failed tiles repeat its error message; they show only beside results that made it.
  const anyUsable = generation.media.some((m) => m.status === "READY" || m.status === "PENDING");
  // Before the provider lists the outputs, as many placeholders as the run asked for, in its shape.
  const { expected } = generation;
  const tiles: (MediaDTO | null)[] =
    generation.media.length > 0 ? (anyUsable || active ? generation.media : []) : active ? Array.from({ length: expected.count }, () => null) : [];
  if (tiles.length === 0) return null;
  const single = tiles.length === 1;
  return (
    <ul className={cn("mt-3 grid gap-2", single ? "grid-cols-1" : tiles.length === 2 ? "grid-cols-2" : "grid-cols-2 sm:grid-cols-4")}>
      {tiles.map((media, position) => (
        <li key={media?.id ?? `pending-${position}`} style={single ? { width: singleWidth(media, expected.aspect) } : undefined}>
          <MediaTile
            media={media}
            expectedAspect={expected.aspect}
            active={active}
            busyLabel={generation.status === "PREPARING" ? "Uploading input" : "Generating"}
            readyIndex={media ? readyMedia.indexOf(media) : -1}
            onOpen={onOpen}
            position={position}
            drag={media ? resultDragProps({ ...media, generationId: generation.id, tool: generation.tool, prompt: generation.prompt }) : undefined}
          />
        </li>
      ))}
    </ul>
  );
}

/** A lone result is as large as fits 20rem of height (the run's shape, or a 20rem square, while its size is unknown). */
function singleWidth(media: MediaDTO | null, expectedAspect: string | null): string {
  const ratio = media?.width && media.height ? media.width / media.height : ratioOf(expectedAspect);
  return ratio === null ? "min(100%, 20rem)" : `min(100%, ${(20 * ratio).toFixed(2)}rem)`;
}

/** "16 / 9" → 1.78; null for none. */
function ratioOf(aspect: string | null): number | null {
  const [w, h] = aspect ? aspect.split("/").map(Number) : [];
  return w && h ? w / h : null;
}

function MediaTile({
  media,
  expectedAspect,
  active,
  busyLabel,
  readyIndex,
  onOpen,
  position,
  drag,
}: {
  media: MediaDTO | null;
  /** The run's asked-for shape ("16 / 9"), for a tile whose own size isn't known yet. */
  expectedAspect: string | null;
  active: boolean;
  /** What an active run's empty tile says it is doing. */
  busyLabel: string;
  readyIndex: number;
  onOpen: (index: number) => void;
  position: number;
  /** Makes a finished result draggable onto a tool's input. */
  drag?: ReturnType<typeof resultDragProps>;
}) {
  const aspect = media?.width && media.height ? `${media.width} / ${media.height}` : (expectedAspect ?? "1 / 1");
  if (!media || media.status === "PENDING" || (media.status === "READY" && !media.originalUrl)) {
    return (
      <div
        className="relative overflow-hidden rounded-xl bg-surface-2"
        style={{ aspectRatio: aspect }}
        aria-label={active ? busyLabel : "Processing"}
        role="img"
      >
        <div className="absolute inset-0 -translate-x-full animate-shimmer bg-gradient-to-r from-transparent via-white/40 to-transparent dark:via-white/5" />
        <span className="absolute bottom-2 left-2 text-[11px] font-medium text-muted">{active ? `${busyLabel}…` : "Saving…"}</span>
      </div>
    );
  }
  if (media.status === "REFUSED") {
    // Withheld by the provider's safety filter (Qolaba's NSFW flag, RenderNet's "censored"): this slot has no image.
    return (
      <div
        className="grid place-items-center gap-1 rounded-xl border border-dashed border-line bg-surface-2 p-3 text-center text-[11px] text-muted"
        style={{ aspectRatio: aspect }}
        role="img"
        aria-label={`${media.kind === "VIDEO" ? "Video" : "Image"} ${position + 1} withheld by the provider's safety filter`}
        data-slot-status="withheld"
      >
        <EyeOff className="size-4" aria-hidden="true" />
        Withheld
      </div>
    );
  }
  if (media.status !== "READY") {
    return (
      <div className="grid place-items-center gap-1 rounded-xl border border-dashed border-danger/40 bg-danger-soft/40 p-3 text-center text-[11px] text-danger" style={{ aspectRatio: aspect }}>
        <Ban className="size-4" aria-hidden="true" />
        Failed
      </div>
    );
  }
  const label = `Open ${media.kind === "VIDEO" ? "video" : "image"} ${position + 1}`;
  return (
    <button
      type="button"
      onClick={() => onOpen(readyIndex)}
      aria-label={label}
      title="Open it, or drag it onto a tool's input"
      {...drag}
      className="group relative block w-full overflow-hidden rounded-xl bg-surface-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
      style={{ aspectRatio: aspect }}
    >
      {media.thumbUrl ? (
        <MediaImage src={media.thumbUrl} alt="" className="size-full object-cover transition duration-300 group-hover:scale-[1.02]" />
      ) : media.kind === "VIDEO" ? (
        <video src={media.originalUrl!} muted playsInline preload="metadata" className="size-full object-cover" aria-hidden="true" />
      ) : (
        <MediaImage src={media.originalUrl!} alt="" className="size-full object-cover" />
      )}
      {media.kind === "VIDEO" ? (
        <span className="absolute inset-0 grid place-items-center bg-black/10 transition group-hover:bg-black/25">
          <span className="grid size-11 place-items-center rounded-full bg-black/55 text-white backdrop-blur">
            <Play className="size-5 translate-x-px fill-current" aria-hidden="true" />
          </span>
        </span>
      ) : null}
    </button>
  );
}
