"use client";

import Link from "next/link";
import { useState } from "react";
import { CheckCheck, Columns2, Download, FolderInput, RotateCcw, Star, Trash2, X } from "lucide-react";
import { toast } from "@/lib/client/toast";
import type { GalleryItemDTO } from "@/lib/gallery/types";
import type { GalleryActions } from "@/lib/gallery-client/use-gallery-actions";
import { workspaceApi } from "@/lib/client/fetch-json";
import { BULK_MAX } from "@/lib/gallery/view-params";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { GalleryPermissions } from "./gallery-permissions";
import { PURGE_WARNING } from "./purge-warning";
import { plural } from "@/lib/validation/text";


/** Starts a zip download of the items' originals (a plain form post: the browser streams it to disk). */
export function downloadZip(slug: string, ids: string[]) {
  const form = document.createElement("form");
  form.method = "POST";
  form.action = workspaceApi(slug, "media/zip");
  form.style.display = "none";
  const input = document.createElement("input");
  input.type = "hidden";
  input.name = "ids";
  input.value = ids.join(",");
  form.append(input);
  document.body.append(form);
  form.submit();
  form.remove();
}

/** What can be done with the selection, at the bottom of the screen while anything is selected. */
export function BulkBar({
  slug,
  items,
  total,
  trash,
  boards,
  permissions,
  actions,
  onSelectAll,
  onClear,
}: {
  slug: string;
  items: GalleryItemDTO[];
  total: number;
  trash: boolean;
  boards: { id: string; name: string }[];
  permissions: GalleryPermissions;
  actions: GalleryActions;
  onSelectAll: () => void;
  onClear: () => void;
}) {
  const [confirmPurge, setConfirmPurge] = useState(false);
  if (items.length === 0) return null;
  const ids = items.map((item) => item.id);
  const downloadable = items.filter((item) => item.originalUrl).map((item) => item.id);
  const comparable = items.filter((item) => item.originalUrl && item.kind !== "AUDIO").map((item) => item.id);
  const allFavorite = items.every((item) => item.favorite);
  const tooMany = ids.length > BULK_MAX;
  const run = (body: () => Promise<unknown>) => {
    if (tooMany) return void toast.error(`Choose at most ${BULK_MAX} items at a time.`);
    // The change shows at once (the cache is patched), so the selection is done with now, not when the server answers.
    onClear();
    void body();
  };

  return (
    <div
      role="toolbar"
      aria-label="Selected items"
      className="fixed inset-x-3 bottom-[calc(5rem+env(safe-area-inset-bottom))] z-40 mx-auto flex w-fit max-w-[calc(100vw-1.5rem)] animate-pop-in flex-wrap items-center justify-center gap-1 rounded-2xl border border-line bg-surface/95 p-1.5 shadow-pop backdrop-blur lg:bottom-6 lg:left-[260px] lg:flex-nowrap"
    >
      <span className="px-2 text-[13px] font-semibold tabular-nums" aria-live="polite">
        {items.length.toLocaleString("en-US")} selected
      </span>
      {items.length < total ? (
        <Button variant="ghost" size="sm" onClick={onSelectAll}>
          <CheckCheck /> Select all {total.toLocaleString("en-US")}
        </Button>
      ) : null}
      <span className="mx-1 hidden h-5 w-px bg-line sm:block" aria-hidden="true" />
      {trash ? (
        <>
          {permissions.organize ? (
            <Button variant="secondary" size="sm" onClick={() => run(() => actions.restore(ids))} disabled={actions.pending}>
              <RotateCcw /> Restore
            </Button>
          ) : null}
          {permissions.emptyTrash ? (
            <Button variant="danger-ghost" size="sm" onClick={() => setConfirmPurge(true)} disabled={actions.pending}>
              <Trash2 /> Delete forever
            </Button>
          ) : null}
        </>
      ) : (
        <>
          {permissions.organize ? (
            <>
              <Button variant="ghost" size="sm" onClick={() => run(() => actions.favorite(ids, !allFavorite))} disabled={actions.pending}>
                <Star className={allFavorite ? "fill-current" : undefined} /> {allFavorite ? "Unfavourite" : "Favourite"}
              </Button>
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button variant="ghost" size="sm" disabled={actions.pending}>
                    <FolderInput /> Move to board
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent align="end" className="max-h-72 min-w-48 overflow-y-auto">
                  {boards.length === 0 ? <p className="px-2.5 py-2 text-[13px] text-muted">No boards yet: create one in the Boards panel.</p> : null}
                  {boards.map((board) => (
                    <DropdownMenuItem key={board.id} onSelect={() => run(() => actions.move(ids, board.id))}>
                      {board.name}
                    </DropdownMenuItem>
                  ))}
                  <DropdownMenuSeparator />
                  <DropdownMenuItem onSelect={() => run(() => actions.move(ids, null))}>Take out of its board</DropdownMenuItem>
                </DropdownMenuContent>
              </DropdownMenu>
            </>
          ) : null}
          {/* 2–4 finished items side by side, their settings' differences marked (./compare). */}
          {comparable.length >= 2 && comparable.length <= 4 && comparable.length === ids.length ? (
            <Button asChild variant="ghost" size="sm">
              <Link href={`/w/${encodeURIComponent(slug)}/gallery/compare?ids=${comparable.join(",")}`}>
                <Columns2 /> Compare
              </Link>
            </Button>
          ) : null}
          <Button
            variant="ghost"
            size="sm"
            disabled={downloadable.length === 0}
            title={downloadable.length < ids.length ? "Items without a finished file are left out" : undefined}
            onClick={() => {
              if (downloadable.length > BULK_MAX) return void toast.error(`Download at most ${BULK_MAX} items at a time.`);
              downloadZip(slug, downloadable);
              toast.success(`Preparing a zip of ${plural(downloadable.length, "file")}`);
            }}
          >
            <Download /> Download zip
          </Button>
          {permissions.organize ? (
            <Button variant="danger-ghost" size="sm" onClick={() => run(() => actions.trash(ids))} disabled={actions.pending}>
              <Trash2 /> Delete
            </Button>
          ) : null}
        </>
      )}
      <Button variant="ghost" size="icon" className="size-8" aria-label="Clear selection (Esc)" onClick={onClear}>
        <X />
      </Button>
      <ConfirmDialog
        open={confirmPurge}
        onOpenChange={setConfirmPurge}
        title={`Delete ${plural(items.length, "item")} for good?`}
        description={PURGE_WARNING}
        cancelLabel="Keep them"
        confirmLabel="Delete forever"
        onConfirm={() => {
          setConfirmPurge(false);
          run(() => actions.purge(ids));
        }}
      />
    </div>
  );
}
