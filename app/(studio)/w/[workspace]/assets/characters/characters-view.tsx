"use client";

import { useState } from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Pencil, Plus, RotateCcw, Sparkles, UserRound } from "lucide-react";
import type { CharacterDTO } from "@/lib/generations/types";
import { useCatalog } from "@/lib/generations-client/use-catalog";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { MediaImage } from "@/components/generate/media-image";
import type { CharacterDialogMode } from "./character-dialog";
import { CharacterDialog } from "./on-demand-character-dialog";

/**
 * The account's characters, the workspace's own first. Members create one from an image (uploaded here, or chosen
 * from the uploads or the gallery) and edit their own; the provider's ready-made characters are read-only. The list
 * is the catalogue the Image form reads, so both stay in step. `?new=1` opens the create dialog (the Image form links
 * here with it).
 */
export function CharactersView({ slug, canManage }: { slug: string; canManage: boolean }) {
  const catalog = useCatalog(slug);
  const searchParams = useSearchParams();
  const [dialog, setDialog] = useState<CharacterDialogMode | null>(() => (canManage && searchParams.get("new") === "1" ? { mode: "create" } : null));
  const characters = catalog.data?.characters ?? [];
  const own = characters.filter((c) => !c.system).sort((a, b) => a.name.localeCompare(b.name));
  const system = characters.filter((c) => c.system);

  const closeDialog = () => {
    setDialog(null);
    if (searchParams.get("new")) {
      const params = new URLSearchParams(searchParams.toString());
      params.delete("new");
      const query = params.toString();
      window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
    }
  };

  return (
    <div className="px-5 py-5 sm:px-8">
      <div className="mb-5 flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-xl text-[13px] text-muted">
          A character keeps one face consistent across images. In the{" "}
          <Link href={`/w/${slug}/generate/image`} className="font-medium text-ink underline decoration-line underline-offset-2 hover:decoration-ink">
            Image form
          </Link>
          , turn on Character, choose one, and put its name in braces in the prompt, like <span className="font-mono text-ink">{"{Robin} on a trek"}</span>.
        </p>
        {canManage ? (
          <Button onClick={() => setDialog({ mode: "create" })}>
            <Plus /> New character
          </Button>
        ) : null}
      </div>

      {catalog.isPending ? (
        <CharacterSkeletons />
      ) : catalog.isError ? (
        <div role="alert" className="flex flex-col items-center gap-3 rounded-2xl border border-danger/30 bg-danger-soft px-6 py-10 text-center">
          <p className="text-sm text-danger">Couldn&apos;t load the characters: {catalog.error.message}</p>
          <Button size="sm" variant="secondary" onClick={() => void catalog.refetch()}>
            <RotateCcw /> Try again
          </Button>
        </div>
      ) : (
        <div className="space-y-8">
          <section aria-labelledby="own-characters">
            <h2 id="own-characters" className="mb-3 text-[13px] font-semibold tracking-wide text-muted uppercase">
              Yours
            </h2>
            {own.length > 0 ? (
              <CharacterGrid label="Your characters" list={own} onEdit={canManage ? (character) => setDialog({ mode: "edit", character }) : undefined} />
            ) : (
              <div className="flex flex-col items-center gap-3 rounded-2xl border border-dashed border-line px-6 py-10 text-center">
                <span className="grid size-11 place-items-center rounded-2xl bg-accent-soft text-accent">
                  <Sparkles className="size-5" aria-hidden="true" />
                </span>
                <div>
                  <p className="text-sm font-semibold">No characters of your own yet</p>
                  <p className="mt-1 max-w-sm text-[13px] text-muted">
                    {canManage ? "Make one from a clear photo of a face: realistic for people, stylized for illustrated looks." : "Members of this workspace can create them."}
                  </p>
                </div>
                {canManage ? (
                  <Button variant="secondary" onClick={() => setDialog({ mode: "create" })}>
                    <Plus /> New character
                  </Button>
                ) : null}
              </div>
            )}
          </section>
          {system.length > 0 ? (
            <section aria-labelledby="system-characters">
              <h2 id="system-characters" className="mb-3 text-[13px] font-semibold tracking-wide text-muted uppercase">
                Ready-made by RenderNet
              </h2>
              <CharacterGrid label="Ready-made characters" list={system} />
            </section>
          ) : null}
        </div>
      )}

      <CharacterDialog slug={slug} state={dialog} characters={characters} onClose={closeDialog} />
    </div>
  );
}

function CharacterGrid({ label, list, onEdit }: { label: string; list: CharacterDTO[]; onEdit?: (character: CharacterDTO) => void }) {
  return (
    <ul aria-label={label} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-6">
      {list.map((character) => (
        <li key={character.id}>
          <article aria-label={character.name} className="flex h-full flex-col overflow-hidden rounded-2xl border border-line bg-surface shadow-xs">
            <div className="relative grid aspect-square place-items-center bg-surface-2 text-muted">
              <UserRound className="size-8" aria-hidden="true" />
              {character.thumbnail ? (
                <MediaImage src={character.thumbnail} alt="" className="absolute inset-0 size-full object-cover" onError={(e) => (e.currentTarget.style.display = "none")} />
              ) : null}
            </div>
            <div className="flex min-w-0 flex-1 flex-col gap-1 p-3">
              <div className="flex items-center justify-between gap-2">
                <h3 className="truncate text-[14px] font-semibold" title={character.name}>
                  {character.name}
                </h3>
                {character.type ? (
                  <span className="shrink-0 rounded-full bg-surface-2 px-2 py-0.5 text-[11px] font-medium text-muted">{character.type === "realistic" ? "Realistic" : "Stylized"}</span>
                ) : null}
              </div>
              {character.description ? <p className="line-clamp-2 text-[12px] text-muted">{character.description}</p> : null}
              {onEdit ? (
                <div className="mt-auto pt-2">
                  <Button size="sm" variant="secondary" onClick={() => onEdit(character)} aria-label={`Edit ${character.name}`}>
                    <Pencil /> Edit
                  </Button>
                </div>
              ) : null}
            </div>
          </article>
        </li>
      ))}
    </ul>
  );
}

function CharacterSkeletons() {
  return (
    <div aria-busy="true" aria-label="Loading" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-6">
      {Array.from({ length: 6 }, (_, i) => (
        <Skeleton key={i} className="aspect-[3/4]" />
      ))}
    </div>
  );
}
