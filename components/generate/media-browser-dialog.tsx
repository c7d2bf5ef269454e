"use client";

import { useState, type ReactNode } from "react";
import { AlertTriangle, Check, FolderOpen, Images, Play, RotateCcw, Search } from "lucide-react";
import { Tabs } from "radix-ui";
import { cn } from "@/lib/cn";
import { useAssetLibrary } from "@/lib/assets-client/use-asset-library";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { useGalleryMedia } from "@/lib/generations-client/use-gallery-media";
import { formatDuration, inputFromAsset, inputFromGalleryMedia, type InputPreview, type InputValue } from "@/lib/generations-client/input-value";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { inputName } from "@/components/generate/input-preview-card";
import { MediaImage } from "@/components/generate/media-image";
import { INPUT_KINDS, type InputKind } from "@/components/generate/input-kinds";
import { TOOLS_BY_ID } from "@/components/generate/tools";
import { SEARCH_MAX } from "@/lib/gallery/view-params";

export type TileNote = { text: string; tone: "ok" | "warn" | "block" };

/**
 * Choose an input from the workspace's uploads or its gallery ("use as input"). Gallery tiles show each item's prompt
 * and tool, and the gallery can be searched by prompt as the gallery page searches it.
 */
export function MediaBrowserDialog({
  slug,
  kind,
  open,
  tab,
  onTabChange,
  onOpenChange,
  value,
  onPick,
  noteFor,
}: {
  slug: string;
  kind: InputKind;
  open: boolean;
  tab: "assets" | "gallery";
  onTabChange: (tab: "assets" | "gallery") => void;
  onOpenChange: (open: boolean) => void;
  value: InputValue | null;
  onPick: (value: InputValue) => void;
  /** A word on each file for this tool: "Needs crop", "60 fps: too fast" (tone "block" can't be picked). */
  noteFor?: (preview: InputPreview) => TileNote | null;
}) {
  const noun = INPUT_KINDS[kind].noun;
  const withGallery = kind !== "AUDIO";
  const pick = (next: InputValue) => {
    onPick(next);
    onOpenChange(false);
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={`Choose ${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`} className="max-w-3xl">
        <Tabs.Root value={withGallery ? tab : "assets"} onValueChange={(next) => onTabChange(next as "assets" | "gallery")}>
          {withGallery ? (
            <Tabs.List aria-label="Source" className="mb-4 inline-flex gap-1 rounded-xl bg-surface-2 p-1">
              <TabTrigger value="assets" icon={<FolderOpen />}>
                Uploads
              </TabTrigger>
              <TabTrigger value="gallery" icon={<Images />}>
                Gallery
              </TabTrigger>
            </Tabs.List>
          ) : null}
          <Tabs.Content value="assets" className="focus-visible:outline-none">
            {open && (tab === "assets" || !withGallery) ? <AssetsTab slug={slug} kind={kind} value={value} onPick={pick} noteFor={noteFor} /> : null}
          </Tabs.Content>
          {withGallery ? (
            <Tabs.Content value="gallery" className="focus-visible:outline-none">
              {open && tab === "gallery" ? <GalleryTab slug={slug} kind={kind as "IMAGE" | "VIDEO"} value={value} onPick={pick} noteFor={noteFor} /> : null}
            </Tabs.Content>
          ) : null}
        </Tabs.Root>
      </DialogContent>
    </Dialog>
  );
}

function TabTrigger({ value, icon, children }: { value: string; icon: ReactNode; children: ReactNode }) {
  return (
    <Tabs.Trigger
      value={value}
      className="inline-flex h-8 items-center gap-1.5 rounded-lg px-3 text-[13px] font-medium text-muted data-[state=active]:bg-surface data-[state=active]:text-ink data-[state=active]:shadow-sm [&_svg]:size-4"
    >
      {icon}
      {children}
    </Tabs.Trigger>
  );
}

type TabProps = { slug: string; value: InputValue | null; onPick: (value: InputValue) => void; noteFor?: (preview: InputPreview) => TileNote | null };

const typeOfKind = { IMAGE: "image", VIDEO: "video", AUDIO: "audio" } as const;

/** The asset library of this kind, in keyset pages (the same lists the Assets page shows), so no upload is out of reach. */
function AssetsTab({ slug, kind, value, onPick, noteFor }: TabProps & { kind: InputKind }) {
  const query = useAssetLibrary(slug, typeOfKind[kind]);
  const noun = INPUT_KINDS[kind].noun;
  if (query.isPending) return <TileSkeletons list={kind === "AUDIO"} />;
  if (query.isError) return <LoadError message={query.error.message} onRetry={() => void query.refetch()} />;
  const assets = query.data.pages.flatMap((page) => page.items);
  if (assets.length === 0) {
    return (
      <EmptyTab icon={FolderOpen} title={`No uploaded ${noun}s yet`}>
        Close this and drop a file on the picker; every upload is kept here for the whole team.
      </EmptyTab>
    );
  }
  const items = assets.map((asset) => inputFromAsset(asset));
  return (
    <>
      <TileGrid items={items} value={value} onPick={onPick} noteFor={noteFor} list={kind === "AUDIO"} />
      <ShowMore query={query} />
    </>
  );
}

/** The next page of a tab's list, when there is one. */
function ShowMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="mt-3 flex justify-center">
      <Button size="sm" variant="secondary" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
        Show more
      </Button>
    </div>
  );
}

/** Typing settles this long before the search is sent, so a word typed is one request, not one per letter. */
const SEARCH_DEBOUNCE_MS = 300;

function GalleryTab({ slug, kind, value, onPick, noteFor }: TabProps & { kind: "IMAGE" | "VIDEO" }) {
  const [text, setText] = useState("");
  const q = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const query = useGalleryMedia(slug, kind, { q });
  const plural = kind === "IMAGE" ? "images" : "videos";
  const searching = query.isFetching || text.trim() !== q;
  let body: ReactNode;
  if (query.isPending) body = <TileSkeletons captions />;
  else if (query.isError) body = <LoadError message={query.error.message} onRetry={() => void query.refetch()} />;
  else {
    const items = query.data.pages.flatMap((page) => page.items);
    if (items.length === 0 && q) {
      body = (
        <EmptyTab icon={Search} title={`No ${plural} match “${q}”`}>
          The search looks at prompts, as the gallery&apos;s does. Try fewer or other words.
        </EmptyTab>
      );
    } else if (items.length === 0) {
      body = (
        <EmptyTab icon={Images} title={`No ${plural} in the gallery yet`}>
          Finished {plural} of this workspace appear here, ready to use as inputs.
        </EmptyTab>
      );
    } else {
      body = (
        <>
          <TileGrid items={items.map(inputFromGalleryMedia)} value={value} onPick={onPick} noteFor={noteFor} captions />
          <ShowMore query={query} />
        </>
      );
    }
  }
  return (
    <div className="space-y-3">
      <label className="relative block">
        <span className="sr-only">Search the gallery by prompt</span>
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted" aria-hidden="true" />
        <input
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="Search prompts"
          maxLength={SEARCH_MAX}
          className="h-9 w-full rounded-lg border border-line bg-surface pr-3 pl-9 text-[13px] placeholder:text-muted focus:border-accent focus:ring-2 focus:ring-accent/30 focus:outline-none"
        />
      </label>
      <div aria-busy={searching || undefined} className={cn("transition-opacity", searching && query.isPlaceholderData && "opacity-60")}>
        {body}
      </div>
    </div>
  );
}

/** Grid columns: tiles with a caption (prompt and tool) get more room, so two lines of a prompt are readable. */
const gridOf = (captions?: boolean) => (captions ? "grid grid-cols-2 gap-2 sm:grid-cols-3 md:grid-cols-4" : "grid grid-cols-3 gap-2 sm:grid-cols-4 md:grid-cols-5");

function TileGrid({
  items,
  value,
  onPick,
  noteFor,
  list,
  captions,
}: {
  items: InputValue[];
  value: InputValue | null;
  onPick: (value: InputValue) => void;
  noteFor?: (preview: InputPreview) => TileNote | null;
  list?: boolean;
  captions?: boolean;
}) {
  return (
    <ul className={cn("-mx-1 max-h-[min(60vh,560px)] overflow-y-auto px-1 pt-1 pb-1", list ? "space-y-1.5" : gridOf(captions))}>
      {items.map((item) => {
        const preview = item.preview!;
        const note = noteFor?.(preview) ?? null;
        const selected = value?.ref.kind === item.ref.kind && value.ref.id === item.ref.id;
        const blocked = note?.tone === "block";
        const name = inputName(preview);
        // Gallery items say what they are (prompt and tool); an upload's tile is its picture, its name in the label.
        const tool = preview.tool ? TOOLS_BY_ID[preview.tool].name : null;
        const details = [preview.width && preview.height ? `${preview.width} × ${preview.height}` : null, preview.durationMs !== null ? formatDuration(preview.durationMs) : null]
          .filter(Boolean)
          .join(" · ");
        return (
          <li key={`${item.ref.kind}:${item.ref.id}`}>
            <button
              type="button"
              disabled={blocked}
              aria-pressed={selected}
              aria-label={`${name}${tool ? ` (${tool})` : ""}${details ? `, ${details}` : ""}${note ? `. ${note.text}` : ""}`}
              title={note?.text ?? name}
              onClick={() => onPick(item)}
              className={cn(
                "group relative w-full overflow-hidden rounded-xl border text-left transition",
                "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed",
                selected ? "border-accent ring-2 ring-accent" : "border-line hover:border-ink/25",
                list ? "flex items-center gap-3 bg-surface p-2.5" : tool ? "bg-surface" : "aspect-square bg-surface-2",
              )}
            >
              {list ? (
                <>
                  <span className="grid size-9 shrink-0 place-items-center rounded-lg bg-accent-soft text-accent">
                    <Play className="size-4" aria-hidden="true" />
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-[13px] font-medium">{name}</span>
                    <span className="block text-[12px] text-muted tabular-nums">{details || "Audio"}</span>
                  </span>
                </>
              ) : (
                <>
                  <span className={cn("relative block overflow-hidden", tool ? "aspect-square bg-surface-2" : "size-full")}>
                    {preview.thumbUrl || (preview.kind === "IMAGE" && preview.originalUrl) ? (
                      <MediaImage src={(preview.thumbUrl ?? preview.originalUrl)!} alt="" className={cn("size-full object-cover transition group-hover:scale-[1.03]", blocked && "opacity-40")} />
                    ) : (
                      <span className="grid size-full place-items-center text-muted">
                        <Play className="size-5" aria-hidden="true" />
                      </span>
                    )}
                    {preview.kind === "VIDEO" ? (
                      <span className="absolute top-1.5 left-1.5 grid size-6 place-items-center rounded-full bg-black/60 text-white">
                        <Play className="size-3 fill-current" aria-hidden="true" />
                      </span>
                    ) : null}
                    <span className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/70 to-transparent px-1.5 pt-4 pb-1 text-[10px] font-medium text-white tabular-nums opacity-0 transition group-hover:opacity-100 group-focus-visible:opacity-100">
                      {details}
                    </span>
                  </span>
                  {tool ? (
                    <span className="block px-2 pt-1.5 pb-2">
                      <span className="line-clamp-2 text-[12px] leading-snug font-medium break-words">{name}</span>
                      <span className="mt-0.5 block truncate text-[11px] text-muted">{tool}</span>
                    </span>
                  ) : null}
                </>
              )}
              {note ? (
                <span
                  className={cn(
                    "absolute top-1.5 right-1.5 inline-flex items-center gap-1 rounded-full px-1.5 py-0.5 text-[10px] font-semibold",
                    note.tone === "ok" ? "bg-success text-white dark:text-black" : note.tone === "warn" ? "bg-black/65 text-white" : "bg-danger text-danger-ink",
                    list && "static ml-auto",
                  )}
                >
                  {note.tone === "ok" ? <Check className="size-3" aria-hidden="true" /> : <AlertTriangle className="size-3" aria-hidden="true" />}
                  {note.text}
                </span>
              ) : null}
              {selected ? <span className="sr-only">(current)</span> : null}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function TileSkeletons({ list, captions }: { list?: boolean; captions?: boolean }) {
  return (
    <div aria-busy="true" aria-label="Loading" className={list ? "space-y-1.5" : gridOf(captions)}>
      {Array.from({ length: list ? 4 : captions ? 8 : 10 }, (_, i) => (
        <Skeleton key={i} className={list ? "h-14" : captions ? "aspect-[4/5]" : "aspect-square"} />
      ))}
    </div>
  );
}

function EmptyTab({ icon: Icon, title, children }: { icon: typeof Images; title: string; children: ReactNode }) {
  return (
    <div className="flex flex-col items-center rounded-2xl border border-dashed border-line px-6 py-12 text-center">
      <Icon className="mb-3 size-6 text-muted" aria-hidden="true" />
      <p className="text-sm font-semibold">{title}</p>
      <p className="mt-1 max-w-sm text-[13px] text-muted">{children}</p>
    </div>
  );
}

function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="flex flex-col items-center gap-3 rounded-2xl border border-danger/30 bg-danger-soft px-6 py-10 text-center">
      <p className="text-sm text-danger">{message}</p>
      <Button size="sm" variant="secondary" onClick={onRetry}>
        <RotateCcw /> Try again
      </Button>
    </div>
  );
}
