"use client";

import { useCallback, useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import { fetchJson, workspaceApi } from "@/lib/client/fetch-json";
import { boardKeys } from "@/lib/client/query-keys";

/**
 * The board new results land in, chosen in the tool forms and remembered per workspace in this browser
 * (localStorage), so every tool files into it until it is changed. One store: the picker writes it, the submit reads it.
 */
const keyOf = (slug: string) => `atelier:target-board:${slug}`;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key?.startsWith("atelier:target-board:")) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function readTargetBoard(slug: string): string | null {
  try {
    return window.localStorage.getItem(keyOf(slug));
  } catch {
    return null;
  }
}

export function writeTargetBoard(slug: string, boardId: string | null) {
  try {
    if (boardId) window.localStorage.setItem(keyOf(slug), boardId);
    else window.localStorage.removeItem(keyOf(slug));
  } catch {
    // storage unavailable (private mode): the choice lasts until reload
  }
  for (const listener of listeners) listener();
}

export function useBoards(slug: string, enabled = true) {
  return useQuery({
    queryKey: boardKeys.list(slug),
    queryFn: ({ signal }) => fetchJson<{ id: string; name: string }[]>(workspaceApi(slug, "boards"), { signal }),
    staleTime: 60_000,
    enabled,
  });
}

/** The chosen board, checked against the workspace's boards (a deleted board reads as none). */
export function useTargetBoard(slug: string) {
  const stored = useSyncExternalStore(
    subscribe,
    () => readTargetBoard(slug),
    () => null,
  );
  const boards = useBoards(slug);
  const board = stored && boards.data ? (boards.data.find((b) => b.id === stored) ?? null) : null;
  const set = useCallback((boardId: string | null) => writeTargetBoard(slug, boardId), [slug]);
  return { boardId: board?.id ?? null, board, boards: boards.data ?? [], set };
}
