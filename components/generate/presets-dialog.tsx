"use client";

import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { Bookmark, ImageOff, MoreHorizontal, Pencil, Plus, RefreshCw, RotateCcw, Trash2, Users } from "lucide-react";
import type { DeletedPreset, PresetDTO } from "@/lib/data/presets";
import { cn } from "@/lib/cn";
import { refusalMessage } from "@/lib/client/action-mutation";
import { toast } from "@/lib/client/toast";
import { useTargetBoard } from "@/lib/gallery-client/target-board";
import { usePresetMutations, usePresets } from "@/lib/generations-client/use-presets";
import { useRecentGenerations } from "@/lib/generations-client/use-recent-generations";
import type { ToolId } from "@/lib/validation/generations";
import { PRESET_NAME_MAX, presetNameField } from "@/lib/validation/presets";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { MediaImage } from "@/components/generate/media-image";
import { TOOLS_BY_ID } from "@/components/generate/tools";

// Loaded on demand (components/generate/presets-control.tsx), so it imports Radix's dialog and menu directly.

/** `back`: returned from saving or renaming, so focus goes to "Save as preset…" rather than to the page. */
type View = { kind: "list"; back?: boolean } | { kind: "save" } | { kind: "rename"; preset: PresetDTO };

const OFFLINE = "Atelier didn't answer. Check your connection and try again.";

/**
 * A tool's presets: the member's own, then the workspace's shared ones (thumbnail, name, "Shared" and who saved it).
 * A row applies its preset; its menu renames it, updates it from the form's current settings, or deletes it (with
 * Undo in the toast and, while the dialog is open, in the list, which makes it again). "Save as preset…" names the form's settings, personal or shared, with a
 * picture from this tool's recent results.
 *
 * The dialog is portalled, but React still bubbles its events to the tool form it is declared in: Enter and submits
 * stop here, so a keystroke in the save form never reaches the tool form's own handlers (which would start a run).
 */
export function PresetsDialog({
  open,
  onOpenChange,
  slug,
  tool,
  params,
  canSave,
  onApply,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  slug: string;
  tool: ToolId;
  params: unknown;
  canSave: boolean;
  onApply: (preset: PresetDTO) => void;
}) {
  const [view, setView] = useState<View>({ kind: "list" });
  const toolName = TOOLS_BY_ID[tool].name;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) setView({ kind: "list" });
      }}
    >
      <DialogContent
        title={view.kind === "save" ? "Save as preset" : view.kind === "rename" ? "Rename preset" : "Presets"}
        description={
          view.kind === "save"
            ? `Every ${toolName} setting but the inputs (and the seed), for you or for everyone in the workspace.`
            : view.kind === "rename"
              ? `A new name for “${view.preset.name}”.`
              : `${toolName} settings saved by you and shared by your team. Applying one keeps the inputs you chose.`
        }
        className="max-w-lg"
        onKeyDown={(event: KeyboardEvent) => {
          if (event.key === "Enter") event.stopPropagation();
        }}
        onSubmit={(event: FormEvent) => event.stopPropagation()}
      >
        {view.kind === "save" ? (
          <SaveForm slug={slug} tool={tool} params={params} onDone={() => setView({ kind: "list", back: true })} />
        ) : view.kind === "rename" ? (
          <RenameForm slug={slug} tool={tool} preset={view.preset} onDone={() => setView({ kind: "list", back: true })} />
        ) : (
          <PresetList
            slug={slug}
            tool={tool}
            params={params}
            canSave={canSave}
            back={view.back ?? false}
            onApply={onApply}
            onSave={() => setView({ kind: "save" })}
            onRename={(preset) => setView({ kind: "rename", preset })}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function PresetList({
  slug,
  tool,
  params,
  canSave,
  back,
  onApply,
  onSave,
  onRename,
}: {
  slug: string;
  tool: ToolId;
  params: unknown;
  canSave: boolean;
  back: boolean;
  onApply: (preset: PresetDTO) => void;
  onSave: () => void;
  onRename: (preset: PresetDTO) => void;
}) {
  const presets = usePresets(slug, tool, true);
  const { update, remove, create } = usePresetMutations(slug, tool);
  const target = useTargetBoard(slug);
  const list = presets.data ?? [];
  const personal = list.filter((p) => !p.shared);
  const shared = list.filter((p) => p.shared);

  const updateFromForm = async (preset: PresetDTO) => {
    try {
      await update.mutateAsync({ presetId: preset.id, params, boardId: target.boardId });
      toast.success(`Updated “${preset.name}”`, { description: "It now holds the form's current settings." });
    } catch (error) {
      toast.error(`Couldn't update “${preset.name}”`, { description: refusalMessage(error, OFFLINE) });
    }
  };

  // The last deletion's undo: offered in the list (the open dialog keeps the toast out of reach) and in the toast
  // (for after the dialog is closed); whichever is used first makes the preset again, once.
  const [deleted, setDeleted] = useState<{ name: string; undo: () => Promise<void> } | null>(null);

  const deletePreset = async (preset: PresetDTO) => {
    let removed: DeletedPreset;
    try {
      removed = await remove.mutateAsync(preset.id);
    } catch (error) {
      toast.error(`Couldn't delete “${preset.name}”`, { description: refusalMessage(error, OFFLINE) });
      return;
    }
    let undone = false;
    const undo = async () => {
      if (undone) return;
      undone = true;
      setDeleted((current) => (current?.undo === undo ? null : current));
      try {
        await create.mutateAsync(removed);
        toast.success(`“${preset.name}” is back`);
      } catch (error) {
        undone = false;
        toast.error(`Couldn't bring “${preset.name}” back`, { description: refusalMessage(error, OFFLINE) });
      }
    };
    setDeleted({ name: preset.name, undo });
    toast(`Deleted “${preset.name}”`, { action: { label: "Undo", onClick: () => void undo() } });
  };

  const row = (preset: PresetDTO) => (
    <PresetRow key={preset.id} preset={preset} onApply={() => onApply(preset)} onRename={() => onRename(preset)} onUpdate={() => void updateFromForm(preset)} onDelete={() => void deletePreset(preset)} />
  );

  return (
    <div className="space-y-4">
      {canSave ? (
        <Button variant="secondary" className="w-full" onClick={onSave} autoFocus={back}>
          <Plus /> Save as preset…
        </Button>
      ) : null}
      {deleted ? (
        <div role="status" className="flex items-center gap-3 rounded-xl bg-surface-2 px-3.5 py-2.5 text-[13px]">
          <p className="min-w-0 flex-1 truncate">Deleted “{deleted.name}”.</p>
          <Button size="sm" variant="secondary" onClick={() => void deleted.undo()}>
            <RotateCcw /> Undo
          </Button>
        </div>
      ) : null}
      <div className="max-h-[min(26rem,55dvh)] space-y-4 overflow-y-auto" aria-busy={presets.isFetching || undefined}>
        {presets.isPending ? (
          <div className="space-y-2" aria-label="Loading presets">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-14" />
            ))}
          </div>
        ) : presets.isError ? (
          <div role="alert" className="flex items-center gap-3 rounded-xl border border-danger/30 bg-danger-soft px-3.5 py-3 text-[13px] text-danger">
            <p className="min-w-0 flex-1">Couldn&apos;t load the presets. {presets.error.message}</p>
            <button type="button" onClick={() => void presets.refetch()} className="inline-flex items-center gap-1 font-medium hover:underline">
              <RotateCcw className="size-3.5" aria-hidden="true" /> Retry
            </button>
          </div>
        ) : list.length === 0 ? (
          <p className="rounded-xl border border-dashed border-line px-4 py-6 text-center text-[13px] text-muted">
            {canSave ? "No presets yet. Save this form's settings to use them again in one click, or to share them with your team." : "No presets yet."}
          </p>
        ) : (
          <>
            {personal.length > 0 ? <Section title="Yours">{personal.map(row)}</Section> : null}
            {shared.length > 0 ? <Section title="Shared with the workspace">{shared.map(row)}</Section> : null}
          </>
        )}
      </div>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="space-y-1">
      <h3 id={id} className="px-1 text-[12px] font-semibold tracking-wide text-muted uppercase">
        {title}
      </h3>
      <ul className="space-y-1">{children}</ul>
    </section>
  );
}

function PresetRow({
  preset,
  onApply,
  onRename,
  onUpdate,
  onDelete,
}: {
  preset: PresetDTO;
  onApply: () => void;
  onRename: () => void;
  onUpdate: () => void;
  onDelete: () => void;
}) {
  const renaming = useRef(false);
  return (
    <li className="flex items-center gap-1 rounded-xl hover:bg-surface-2" data-testid="preset" data-preset-id={preset.id}>
      <button type="button" onClick={onApply} className="flex min-w-0 flex-1 items-center gap-3 rounded-xl px-2 py-2 text-left focus-visible:ring-2 focus-visible:ring-accent focus-visible:outline-none">
        <span className="grid size-11 shrink-0 place-items-center overflow-hidden rounded-lg bg-surface-2 text-muted">
          {preset.thumbUrl ? <MediaImage src={preset.thumbUrl} alt="" className="size-full object-cover" /> : <ImageOff className="size-4" aria-hidden="true" />}
        </span>
        <span className="min-w-0 flex-1">
          <span className="sr-only">Apply </span>
          <span className="block truncate text-[13px] font-medium">{preset.name}</span>
          {preset.shared ? (
            <span className="mt-0.5 flex min-w-0 items-center gap-1.5 text-[11px] text-muted">
              <Badge tone="accent" className="shrink-0 gap-1 px-1.5 py-0 text-[10px]">
                <Users className="size-3" aria-hidden="true" /> Shared
              </Badge>
              <span className="truncate">by {preset.mine ? "you" : (preset.author ?? "a former member")}</span>
            </span>
          ) : null}
        </span>
      </button>
      {preset.canEdit ? (
        <DropdownMenu modal={false}>
          <DropdownMenuTrigger aria-label={`Actions for ${preset.name}`} className="mr-1 rounded-lg p-1.5 text-muted hover:bg-surface hover:text-ink">
            <MoreHorizontal className="size-4" />
          </DropdownMenuTrigger>
          <DropdownMenuContent
            align="end"
            className="min-w-52"
            // Rename swaps the list for its form, whose name box takes the focus: the menu must not pull it back.
            onCloseAutoFocus={(event) => {
              if (renaming.current) event.preventDefault();
              renaming.current = false;
            }}
          >
            <DropdownMenuItem
              onSelect={() => {
                renaming.current = true;
                onRename();
              }}
            >
              <Pencil /> Rename…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={onUpdate}>
              <RefreshCw /> Update from current settings
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={onDelete} className="text-danger [&_svg]:!text-danger">
              <Trash2 /> Delete
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      ) : null}
    </li>
  );
}

/** The name field shared by Save and Rename, checked with the actions' own schema as it is typed. */
function useName(initial: string) {
  const [name, setName] = useState(initial);
  const [touched, setTouched] = useState(false);
  const parsed = presetNameField.safeParse(name);
  const problem = parsed.success ? null : (parsed.error.issues[0]?.message ?? "Name the preset.");
  return { name, setName, touched, setTouched, problem, value: parsed.success ? parsed.data : null };
}

function NameField({ field, error }: { field: ReturnType<typeof useName>; error: string | null }) {
  const shown = error ?? (field.touched ? field.problem : null);
  return (
    <div className="space-y-1.5">
      <label htmlFor="preset-name" className="text-[13px] font-medium">
        Name
      </label>
      <Input
        id="preset-name"
        autoFocus
        value={field.name}
        maxLength={PRESET_NAME_MAX}
        onChange={(event) => field.setName(event.target.value)}
        onBlur={() => field.setTouched(true)}
        invalid={Boolean(shown)}
        aria-describedby={shown ? "preset-name-error" : undefined}
        placeholder="Moody portrait"
      />
      {shown ? (
        <p id="preset-name-error" className="text-[13px] text-danger">
          {shown}
        </p>
      ) : null}
    </div>
  );
}

function SaveForm({ slug, tool, params, onDone }: { slug: string; tool: ToolId; params: unknown; onDone: () => void }) {
  const name = useName("");
  const [shared, setShared] = useState(false);
  const [thumbnail, setThumbnail] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { create } = usePresetMutations(slug, tool);
  const target = useTargetBoard(slug);
  const recent = useRecentGenerations(slug);
  // This tool's newest results still to be seen, for the picture beside the name.
  const results = useMemo(
    () =>
      (recent.data ?? [])
        .filter((run) => run.tool === tool)
        .flatMap((run) => run.media.filter((media) => media.status === "READY" && media.thumbUrl).map((media) => ({ id: media.id, thumbUrl: media.thumbUrl!, prompt: run.prompt })))
        .slice(0, 8),
    [recent.data, tool],
  );
  const groupName = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    name.setTouched(true);
    if (!name.value) return;
    setRefusal(null);
    try {
      const saved = await create.mutateAsync({ name: name.value, shared, params, boardId: target.boardId, thumbnailMediaId: thumbnail });
      toast.success(`Saved “${saved.name}”`, { description: saved.shared ? "Everyone in the workspace can apply it." : "Only you see it." });
      onDone();
    } catch (error) {
      setRefusal(refusalMessage(error, OFFLINE));
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-5">
      <NameField field={name} error={null} />
      <fieldset className="space-y-2">
        <legend className="mb-2 text-[13px] font-medium">Who can use it</legend>
        <Choice name={`${groupName}-shared`} checked={!shared} onChange={() => setShared(false)} title="Only me" detail="A personal preset, in your list only." />
        <Choice
          name={`${groupName}-shared`}
          checked={shared}
          onChange={() => setShared(true)}
          title="Everyone in the workspace"
          detail="Members apply it; you, admins and owners can change or delete it."
        />
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-[13px] font-medium">Picture</legend>
        <div className="grid grid-cols-5 gap-2 sm:grid-cols-9">
          <ThumbChoice name={`${groupName}-thumb`} checked={thumbnail === null} onChange={() => setThumbnail(null)} label="No picture">
            <ImageOff className="size-4 text-muted" aria-hidden="true" />
          </ThumbChoice>
          {results.map((result, index) => (
            <ThumbChoice
              key={result.id}
              name={`${groupName}-thumb`}
              checked={thumbnail === result.id}
              onChange={() => setThumbnail(result.id)}
              label={`Result ${index + 1}${result.prompt ? `: ${result.prompt}` : ""}`}
            >
              <MediaImage src={result.thumbUrl} alt="" className="size-full object-cover" />
            </ThumbChoice>
          ))}
        </div>
        <p className="mt-2 text-[12px] text-muted">
          {results.length === 0 ? "This tool's results appear here once you have some." : "One of this tool's recent results, or none."}
        </p>
      </fieldset>
      {target.board ? <p className="text-[12px] text-muted">Applying it will also file results in the board “{target.board.name}”.</p> : null}
      {refusal ? (
        <p role="alert" className="rounded-xl bg-danger-soft px-3 py-2 text-[13px] text-danger">
          {refusal}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          <Bookmark /> Save preset
        </Button>
      </div>
    </form>
  );
}

function RenameForm({ slug, tool, preset, onDone }: { slug: string; tool: ToolId; preset: PresetDTO; onDone: () => void }) {
  const name = useName(preset.name);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { rename } = usePresetMutations(slug, tool);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    name.setTouched(true);
    if (!name.value) return;
    setRefusal(null);
    try {
      await rename.mutateAsync({ presetId: preset.id, name: name.value });
      toast.success(`Renamed to “${name.value}”`);
      onDone();
    } catch (error) {
      setRefusal(refusalMessage(error, OFFLINE));
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-5">
      <NameField field={name} error={refusal} />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={rename.isPending}>
          Rename
        </Button>
      </div>
    </form>
  );
}

function Choice({ name, checked, onChange, title, detail }: { name: string; checked: boolean; onChange: () => void; title: string; detail: string }) {
  return (
    <label className={cn("flex cursor-pointer gap-3 rounded-xl border px-3 py-2.5", checked ? "border-accent bg-accent-soft/50" : "border-line hover:bg-surface-2")}>
      <input type="radio" name={name} checked={checked} onChange={onChange} className="mt-0.5 accent-accent" />
      <span className="min-w-0">
        <span className="block text-[13px] font-medium">{title}</span>
        <span className="block text-[12px] text-muted">{detail}</span>
      </span>
    </label>
  );
}

function ThumbChoice({ name, checked, onChange, label, children }: { name: string; checked: boolean; onChange: () => void; label: string; children: ReactNode }) {
  return (
    <label
      title={label}
      className={cn(
        "relative grid aspect-square cursor-pointer place-items-center overflow-hidden rounded-lg border bg-surface-2 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent",
        checked ? "border-accent ring-2 ring-accent" : "border-line",
      )}
    >
      <input type="radio" name={name} checked={checked} onChange={onChange} aria-label={label} className="sr-only" />
      {children}
    </label>
  );
}
