"use client";

import { useMemo, useState } from "react";
import { editParams, inputRef } from "@/lib/validation/generations";
import { asRecord, fieldOr } from "@/lib/generations-client/reuse-params";
import { inputFromRef, type InputValue } from "@/lib/generations-client/input-value";
import { useToolForm } from "@/lib/generations-client/use-tool-form";
import { InputPicker } from "@/components/generate/input-picker";
import { PromptField } from "@/components/generate/prompt-field";
import { ReuseNotice, type ReuseStatus } from "@/components/generate/reuse-notice";
import { ToolFormShell } from "@/components/generate/tool-form-shell";
import { PresetsControl } from "@/components/generate/presets-control";

type Draft = { image: InputValue | null; find: string; replace: string };

function initialDraft(reused: unknown): Draft {
  const p = asRecord(reused);
  return {
    image: inputFromRef(fieldOr(inputRef.nullable(), p.image, null)),
    find: fieldOr(editParams.shape.find, p.find, ""),
    replace: fieldOr(editParams.shape.replace, p.replace, ""),
  };
}

export function EditForm({ slug, canGenerate, reused, reuseStatus }: { slug: string; canGenerate: boolean; reused: unknown; reuseStatus: ReuseStatus }) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(reused));
  const params = useMemo(() => ({ image: draft.image?.ref ?? null, find: draft.find, replace: draft.replace }), [draft]);
  const form = useToolForm({ slug, tool: "EDIT", params, canGenerate });
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.touch(key);
  };

  return (
    <ToolFormShell
      slug={slug}
      tool="EDIT"
      form={form}
      canGenerate={canGenerate}
      notice={<ReuseNotice status={reuseStatus} />}
      submitLabel="Edit image"
      presets={
        <PresetsControl
          slug={slug}
          tool="EDIT"
          params={params}
          canSave={canGenerate}
          // The image stays; a preset's empty find or replace leaves the form's.
          onApply={(preset) =>
            setDraft((d) => {
              const next = initialDraft(preset.params);
              return { image: d.image, find: next.find || d.find, replace: next.replace || d.replace };
            })
          }
        />
      }
    >
      <InputPicker id="image" slug={slug} kind="IMAGE" label="Image" value={draft.image} onChange={set("image")} error={form.errorFor("image")} pasteTarget />
      <PromptField
        id="find"
        label="Find"
        value={draft.find}
        onChange={set("find")}
        onBlur={() => form.touch("find")}
        max={200}
        minRows={1}
        placeholder="the red car"
        hint="Name what to change, in a few words."
        error={form.errorFor("find")}
      />
      <PromptField
        id="replace"
        label="Replace with"
        value={draft.replace}
        onChange={set("replace")}
        onBlur={() => form.touch("replace")}
        max={200}
        minRows={2}
        placeholder="a vintage green bicycle leaning on the wall"
        hint="Describe what goes in its place."
        error={form.errorFor("replace")}
      />
    </ToolFormShell>
  );
}
