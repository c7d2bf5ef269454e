"use client";

import { useMemo, useState } from "react";
import { imageToVideoParams, inputRef, VIDEO_DURATIONS, VIDEO_PROMPT_MAX } from "@/lib/validation/generations";
import { videoAnyoneShape } from "@/lib/generations-client/input-checks";
import { asRecord, fieldOr } from "@/lib/generations-client/reuse-params";
import { inputFromAsset, inputFromRef, type InputPreview, type InputValue } from "@/lib/generations-client/input-value";
import { useInputPreview } from "@/lib/generations-client/use-input-preview";
import { useToolForm } from "@/lib/generations-client/use-tool-form";
import { FieldGroup } from "@/components/generate/field-group";
import { InputPicker } from "@/components/generate/input-picker";
import type { TileNote } from "@/components/generate/media-browser-dialog";
import { PromptField } from "@/components/generate/prompt-field";
import { ReuseNotice, type ReuseStatus } from "@/components/generate/reuse-notice";
import { SegmentedControl } from "@/components/generate/segmented-control";
import { ToolFormShell } from "@/components/generate/tool-form-shell";
import { PresetsControl } from "@/components/generate/presets-control";
import { CropCallout } from "./crop-callout";
import { plural } from "@/lib/validation/text";

type Duration = (typeof VIDEO_DURATIONS)[number];
type Draft = { image: InputValue | null; prompt: string; duration: Duration };

function initialDraft(reused: unknown): Draft {
  const p = asRecord(reused);
  return {
    image: inputFromRef(fieldOr(inputRef.nullable(), p.image, null)),
    prompt: typeof p.prompt === "string" ? p.prompt : "",
    duration: fieldOr(imageToVideoParams.shape.duration, p.duration, 5),
  };
}

function shapeNote(preview: InputPreview): TileNote | null {
  if (!preview.width || !preview.height) return null;
  const shape = videoAnyoneShape(preview.width, preview.height);
  return shape ? { text: shape === "portrait" ? "3:5" : "5:3", tone: "ok" } : { text: "Needs crop", tone: "warn" };
}

export function ImageToVideoForm({ slug, canGenerate, reused, reuseStatus }: { slug: string; canGenerate: boolean; reused: unknown; reuseStatus: ReuseStatus }) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(reused));
  const { preview } = useInputPreview(slug, draft.image, "IMAGE");
  const sized = preview?.width && preview.height ? { ...preview, width: preview.width, height: preview.height } : null;
  const needsCrop = sized !== null && videoAnyoneShape(sized.width, sized.height) === null;
  const params = useMemo(() => ({ image: draft.image?.ref ?? null, prompt: draft.prompt, duration: draft.duration }), [draft]);
  const checks = useMemo(() => ({ image: needsCrop ? "Image to video takes a 3:5 or 5:3 image: crop this one first." : null }), [needsCrop]);
  const form = useToolForm({ slug, tool: "IMAGE_TO_VIDEO", params, checks, canGenerate });
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.touch(key);
  };

  return (
    <ToolFormShell
      slug={slug}
      tool="IMAGE_TO_VIDEO"
      form={form}
      canGenerate={canGenerate}
      notice={<ReuseNotice status={reuseStatus} />}
      submitLabel="Make video"
      presets={
        <PresetsControl
          slug={slug}
          tool="IMAGE_TO_VIDEO"
          params={params}
          canSave={canGenerate}
          // The image stays; the motion is a setting here (empty lets the model decide), so the preset's replaces it.
          onApply={(preset) => setDraft((d) => ({ ...initialDraft(preset.params), image: d.image }))}
        />
      }
    >
      <InputPicker
        id="image"
        slug={slug}
        kind="IMAGE"
        label="Image"
        value={draft.image}
        onChange={set("image")}
        error={form.errorFor("image")}
        hint={sized && !needsCrop ? undefined : "A 3:5 portrait or 5:3 landscape image; others can be cropped here."}
        noteFor={shapeNote}
        pasteTarget
      >
        {needsCrop && sized ? <CropCallout slug={slug} preview={sized} onCropped={(asset) => set("image")(inputFromAsset(asset))} /> : null}
      </InputPicker>
      <PromptField
        id="prompt"
        history={{ slug, tool: "IMAGE_TO_VIDEO" }}
        label="Motion"
        optional
        value={draft.prompt}
        onChange={set("prompt")}
        onBlur={() => form.touch("prompt")}
        max={VIDEO_PROMPT_MAX}
        placeholder="She turns towards the camera and smiles; hair moving in the wind"
        hint="Describe what moves. Leave empty to let the model decide."
        error={form.errorFor("prompt")}
      />
      <FieldGroup id="duration" label="Length" error={form.errorFor("duration")}>
        <SegmentedControl id="duration" value={draft.duration} onChange={set("duration")} options={VIDEO_DURATIONS.map((d) => ({ value: d, label: plural(d, "second") }))} />
      </FieldGroup>
    </ToolFormShell>
  );
}
