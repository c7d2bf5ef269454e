"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import dynamic from "next/dynamic";
import { useSearchParams } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import type { GalleryFacetsDTO, GalleryPageDTO } from "@/lib/gallery/types";
import { IgnoredLinkParts } from "@/components/ui/filter-controls";
import { useGalleryFacets, useGalleryPages } from "@/lib/gallery-client/use-gallery";
import { useGalleryActions } from "@/lib/gallery-client/use-gallery-actions";
import { boardKeys, galleryKeys } from "@/lib/client/query-keys";
import { isTypingTarget } from "@/lib/client/is-typing";
import { galleryParamsOf, parseGalleryParams, type GalleryFilters } from "@/lib/gallery/view-params";
import { BoardsPanel } from "./boards";
import { FilterBar } from "./filter-bar";
import { GalleryGrid } from "./gallery-grid";
import type { GalleryPermissions } from "./gallery-permissions";

// Loaded when first needed (something selected, an item opened), not with the grid.
const BulkBar = dynamic(() => import("./bulk-bar").then((m) => m.BulkBar), { ssr: false });
const MediaDetailDialog = dynamic(() => import("./media-detail").then((m) => m.MediaDetailDialog), { ssr: false });

/**
 * The gallery in the browser. The URL is the state: the view's filters (shareable) and the open item (`item=<id>`),
 * written with the History API so changing a filter never reloads the page; the list then comes from react-query.
 */
export function GalleryView({
  slug,
  initial,
  facets: initialFacets,
  problems,
  permissions,
}: {
  slug: string;
  initial: { view: string; page: GalleryPageDTO };
  facets: GalleryFacetsDTO;
  problems: string[];
  permissions: GalleryPermissions;
}) {
  const searchParams = useSearchParams();
  const { filters } = useMemo(() => parseGalleryParams(searchParams), [searchParams]);
  const view = useMemo(() => galleryParamsOf(filters).toString(), [filters]);
  const openId = searchParams.get("item");

  const pages = useGalleryPages(slug, view, initial);
  const facets = useGalleryFacets(slug, initialFacets).data ?? initialFacets;
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const actions = useGalleryActions(slug);
  const queryClient = useQueryClient();

  const setUrl = useCallback((next: URLSearchParams, mode: "push" | "replace") => {
    const query = next.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
    if (mode === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }, []);

  const setFilters = useCallback(
    (change: Partial<GalleryFilters>, mode: "push" | "replace" = "push") => {
      setUrl(galleryParamsOf({ ...filters, ...change }), mode);
    },
    [filters, setUrl],
  );

  const openItem = useCallback(
    (id: string | null) => {
      const next = new URLSearchParams(searchParams.toString());
      if (id) next.set("item", id);
      else next.delete("item");
      setUrl(next, "replace");
    },
    [searchParams, setUrl],
  );

  // Selection: ids in this view (a new view starts with nothing selected), and the anchor of a shift-click range.
  const [selection, setSelection] = useState<{ view: string; ids: ReadonlySet<string> }>({ view, ids: new Set() });
  const selected = useMemo(() => (selection.view === view ? selection.ids : new Set<string>()), [selection, view]);
  const setSelected = useCallback((change: (current: ReadonlySet<string>) => ReadonlySet<string>) => setSelection({ view, ids: change(selected) }), [view, selected]);
  const anchor = useRef<number | null>(null);

  const toggle = useCallback(
    (index: number, range: boolean) => {
      const id = items[index]?.id;
      if (!id) return;
      setSelected((current) => {
        const next = new Set(current);
        if (range && anchor.current !== null) {
          const [from, to] = anchor.current < index ? [anchor.current, index] : [index, anchor.current];
          const adding = !current.has(id);
          for (const item of items.slice(from, to + 1)) {
            if (adding) next.add(item.id);
            else next.delete(item.id);
          }
        } else if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
      anchor.current = index;
    },
    [items, setSelected],
  );
  const selectAll = useCallback(() => setSelected(() => new Set(items.map((item) => item.id))), [items, setSelected]);
  const clearSelection = useCallback(() => {
    setSelected(() => new Set());
    anchor.current = null;
  }, [setSelected]);
  const selectedItems = useMemo(() => items.filter((item) => selected.has(item.id)), [items, selected]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (openId || isTypingTarget(event.target)) return;
      if (event.key === "a" && (event.metaKey || event.ctrlKey) && items.length > 0) {
        event.preventDefault();
        selectAll();
      } else if (event.key === "Escape" && selected.size > 0) {
        clearSelection();
      } else if (event.key === "/") {
        event.preventDefault();
        document.getElementById("gallery-search")?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [openId, items.length, selectAll, clearSelection, selected.size]);

  const boardsChanged = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: galleryKeys.facets(slug) });
    void queryClient.invalidateQueries({ queryKey: boardKeys.list(slug) });
  }, [queryClient, slug]);

  return (
    <div className="px-5 py-5 sm:px-8">
      <div className="mb-4 empty:hidden">
        <IgnoredLinkParts problems={problems} />
      </div>
      {/* One column below xl that may shrink below its content's width (a plain `grid` column is as wide as the
          boards' row of chips, which made the page 494 px wide on a 390 px phone). */}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-[minmax(0,1fr)_260px]">
        <div className="min-w-0 space-y-4">
          <FilterBar
            filters={filters}
            facets={facets}
            onChange={setFilters}
            canEmptyTrash={permissions.emptyTrash}
            onEmptyTrash={() => void actions.purge()}
            emptying={actions.pending}
          />
          <GalleryGrid
            slug={slug}
            filters={filters}
            items={items}
            status={pages.status}
            error={pages.error}
            onRetry={() => void pages.refetch()}
            hasNextPage={pages.hasNextPage}
            loadingMore={pages.isFetchingNextPage}
            loadMore={() => void pages.fetchNextPage()}
            selected={selected}
            onToggle={toggle}
            onOpen={(index) => openItem(items[index]?.id ?? null)}
            onClearFilters={() => setUrl(galleryParamsOf({ ...parseGalleryParams(new URLSearchParams()).filters, trash: filters.trash }), "push")}
            canGenerate={permissions.generate}
          />
        </div>
        <BoardsPanel
          slug={slug}
          boards={facets.boards}
          current={filters.board}
          canEdit={permissions.editBoards}
          onSelect={(board) => setFilters({ board, trash: false })}
          onChanged={boardsChanged}
        />
      </div>
      {selectedItems.length > 0 ? (
      <BulkBar
        slug={slug}
        items={selectedItems}
        total={items.length}
        trash={filters.trash}
        boards={facets.boards}
        permissions={permissions}
        actions={actions}
        onSelectAll={selectAll}
        onClear={clearSelection}
      />
      ) : null}
      {openId ? (
      <MediaDetailDialog
        slug={slug}
        openId={openId}
        items={items}
        hasNextPage={pages.hasNextPage}
        loadMore={() => void pages.fetchNextPage()}
        boards={facets.boards}
        permissions={permissions}
        actions={actions}
        onOpen={openItem}
      />
      ) : null}
    </div>
  );
}
