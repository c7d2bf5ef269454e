"use client";

import { useMemo, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { UserRound } from "lucide-react";
import { toast } from "@/lib/client/toast";
import { createCharacterAction, editCharacterAction } from "@/lib/actions/characters";
import { cn } from "@/lib/cn";
import type { CharacterDTO } from "@/lib/generations/types";
import type { InputValue } from "@/lib/generations-client/input-value";
import { catalogKeys } from "@/lib/client/query-keys";
import { useSchemaForm } from "@/lib/client/use-schema-form";
import type { z } from "zod";
import {
  CHARACTER_DESCRIPTION_MAX,
  CHARACTER_TYPES,
  createCharacterSchema,
  editCharacterSchema,
  type CharacterType,
} from "@/lib/validation/characters";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { FieldGroup } from "@/components/generate/field-group";
import { InputPicker } from "@/components/generate/input-picker";
import { MediaImage } from "@/components/generate/media-image";
import { SegmentedControl } from "@/components/generate/segmented-control";

export type CharacterDialogMode = { mode: "create" } | { mode: "edit"; character: CharacterDTO };

const TYPE_INFO: Record<CharacterType, { label: string; hint: string }> = {
  realistic: { label: "Realistic", hint: "A real person's face, for photographic images." },
  stylized: { label: "Stylized", hint: "An illustrated, anime or cartoon look." },
};

export function CharacterDialog({
  slug,
  state,
  characters,
  onClose,
}: {
  slug: string;
  state: CharacterDialogMode | null;
  characters: CharacterDTO[];
  onClose: () => void;
}) {
  return (
    <Dialog open={state !== null} onOpenChange={(open) => !open && onClose()}>
      {state ? (
        <DialogContent
          title={state.mode === "create" ? "New character" : `Edit ${state.character.name}`}
          description={
            state.mode === "create"
              ? "RenderNet learns the face from one image. The name is how prompts refer to it: {Name}."
              : "RenderNet keeps a character's name; its type, description and image can change."
          }
          className="max-h-[92dvh] max-w-lg overflow-y-auto"
        >
          <CharacterForm key={state.mode === "edit" ? state.character.id : "new"} slug={slug} state={state} characters={characters} onDone={onClose} />
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function CharacterForm({ slug, state, characters, onDone }: { slug: string; state: CharacterDialogMode; characters: CharacterDTO[]; onDone: () => void }) {
  const editing = state.mode === "edit" ? state.character : null;
  const queryClient = useQueryClient();
  const [image, setImage] = useState<InputValue | null>(null);
  const [name, setName] = useState("");
  const [type, setType] = useState<CharacterType>(editing?.type ?? "realistic");
  const [description, setDescription] = useState(editing?.description ?? "");

  const input = useMemo(
    () =>
      editing
        ? { workspace: slug, characterId: editing.id, type, description, image: image?.ref ?? null }
        : { workspace: slug, name, type, description, image: image?.ref ?? null },
    [editing, slug, name, type, description, image],
  );
  const values = useMemo(() => ({ image, name, type, description }), [image, name, type, description]);

  // The same rule the server applies (it checks again against the provider's fresh list).
  const taken = !editing && characters.find((c) => c.name.trim().toLowerCase() === name.trim().toLowerCase());
  const checks = {
    name: taken
      ? taken.system
        ? `“${name.trim()}” is the name of one of RenderNet's ready-made characters. Choose another name.`
        : `There is already a character named “${name.trim()}”. Choose another name.`
      : null,
  };

  const { errorFor, touch, formError, pending, submit } = useSchemaForm({
    schema: (editing ? editCharacterSchema : createCharacterSchema) as z.ZodType<unknown>,
    values,
    input,
    checks,
    checksShow: "when-touched",
    send: () => (editing ? editCharacterAction(input) : createCharacterAction(input)),
    onSuccess: async (data) => {
      // The Image form's picker and this list read the catalogue: read it again (the server dropped its copy).
      await queryClient.invalidateQueries({ queryKey: catalogKeys.catalog(slug) });
      toast.success(editing ? `Saved ${data.name}` : `Created ${data.name}`, {
        description: editing ? undefined : `Use it in the Image form with {${data.name}} in the prompt.`,
      });
      onDone();
    },
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-5">
      <FormError message={formError} />
      <InputPicker
        id="image"
        slug={slug}
        kind="IMAGE"
        label={editing ? "New image" : "Face image"}
        hint={editing ? "Leave empty to keep the current image." : "One clear, front-facing face works best."}
        optional={Boolean(editing)}
        size={editing ? "compact" : "large"}
        pasteTarget
        value={image}
        onChange={(next) => {
          setImage(next);
          touch("image");
        }}
        error={errorFor("image")}
      />
      {editing && !image ? (
        <div className="-mt-2 flex items-center gap-3 rounded-xl bg-surface-2/70 px-3 py-2">
          <span className="relative grid size-10 shrink-0 place-items-center overflow-hidden rounded-lg bg-surface text-muted">
            <UserRound className="size-4" aria-hidden="true" />
            {editing.thumbnail ? <MediaImage src={editing.thumbnail} alt="" className="absolute inset-0 size-full object-cover" /> : null}
          </span>
          <p className="text-[12px] text-muted">The current image stays unless you choose a new one.</p>
        </div>
      ) : null}

      {editing ? (
        <Field id="name" label="Name" hint="RenderNet doesn't allow renaming a character.">
          <Input id="name" value={editing.name} readOnly disabled />
        </Field>
      ) : (
        <Field id="name" label="Name" hint="Unique in this workspace's account; prompts use it as {Name}." error={errorFor("name")}>
          <Input
            id="name"
            value={name}
            autoComplete="off"
            maxLength={60}
            invalid={Boolean(errorFor("name"))}
            aria-describedby={errorFor("name") ? "name-error" : "name-hint"}
            onChange={(event) => {
              setName(event.target.value);
            }}
            onBlur={() => touch("name")}
          />
        </Field>
      )}

      <FieldGroup id="type" label="Type" hint={TYPE_INFO[type].hint} error={errorFor("type")}>
        <SegmentedControl id="type" value={type} onChange={(next) => setType(next)} options={CHARACTER_TYPES.map((value) => ({ value, label: TYPE_INFO[value].label }))} />
      </FieldGroup>

      <Field id="description" label="Description" hint={`Who this is, in a few words (at most ${CHARACTER_DESCRIPTION_MAX} characters).`} error={errorFor("description")}>
        <textarea
          id="description"
          value={description}
          rows={3}
          placeholder="a woman in her thirties with curly red hair"
          aria-invalid={errorFor("description") ? true : undefined}
          aria-describedby={errorFor("description") ? "description-error" : "description-hint"}
          onChange={(event) => {
            setDescription(event.target.value);
          }}
          onBlur={() => touch("description")}
          className={cn(
            "block w-full resize-y rounded-xl border bg-surface px-3.5 py-2.5 text-sm shadow-xs transition-colors placeholder:text-muted",
            "focus:border-accent focus:ring-4 focus:ring-accent/15 focus:outline-none",
            errorFor("description") ? "border-danger" : "border-line",
          )}
        />
      </Field>

      <div className="flex justify-end gap-2 pt-1">
        <Button variant="secondary" onClick={onDone} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          {editing ? "Save changes" : "Create character"}
        </Button>
      </div>
    </form>
  );
}
