"use client";

import { useMemo, useState } from "react";
import { AudioLines, FileText, RotateCcw } from "lucide-react";
import { inputRef, narratorParams, PROMPT_MAX } from "@/lib/validation/generations";
import { narratorVideoProblem } from "@/lib/generations-client/input-checks";
import { asRecord, fieldOr } from "@/lib/generations-client/reuse-params";
import { inputFromRef, type InputPreview, type InputValue } from "@/lib/generations-client/input-value";
import { useCatalog } from "@/lib/generations-client/use-catalog";
import { useInputPreview } from "@/lib/generations-client/use-input-preview";
import { useToolForm } from "@/lib/generations-client/use-tool-form";
import { Select } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { FieldGroup, FieldMessage } from "@/components/generate/field-group";
import { InputPicker } from "@/components/generate/input-picker";
import type { TileNote } from "@/components/generate/media-browser-dialog";
import { PromptField } from "@/components/generate/prompt-field";
import { ReuseNotice, type ReuseStatus } from "@/components/generate/reuse-notice";
import { SegmentedControl } from "@/components/generate/segmented-control";
import { ToolFormShell } from "@/components/generate/tool-form-shell";
import { PresetGapsNotice, PresetsControl } from "@/components/generate/presets-control";
import type { PresetDTO } from "@/lib/data/presets";
import { useAppliedPreset } from "@/lib/generations-client/use-applied-preset";

type Mode = "script" | "audio";
type Draft = { video: InputValue | null; mode: Mode; script: string; voice: string; audio: InputValue | null; face: InputValue | null };

function initialDraft(reused: unknown): Draft {
  const p = asRecord(reused);
  return {
    video: inputFromRef(fieldOr(inputRef.nullable(), p.video, null)),
    mode: fieldOr(narratorParams.shape.mode, p.mode, "script"),
    script: typeof p.script === "string" ? p.script : "",
    voice: typeof p.voice === "string" ? p.voice : "",
    audio: inputFromRef(fieldOr(inputRef.nullable(), p.audio, null)),
    face: inputFromRef(fieldOr(inputRef.nullable(), p.face, null)),
  };
}

function videoNote(preview: InputPreview): TileNote | null {
  const problem = narratorVideoProblem(preview);
  if (!problem) return null;
  return { text: preview.frameRate !== null && preview.frameRate > 30.01 ? `${Math.round(preview.frameRate)} fps` : "Too large", tone: "block" };
}

export function NarratorForm({ slug, canGenerate, reused, reuseStatus }: { slug: string; canGenerate: boolean; reused: unknown; reuseStatus: ReuseStatus }) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(reused));
  const { preview: video } = useInputPreview(slug, draft.video, "VIDEO");
  const params = useMemo(
    () => ({
      video: draft.video?.ref ?? null,
      mode: draft.mode,
      script: draft.mode === "script" ? draft.script : "",
      voice: draft.mode === "script" ? draft.voice : "",
      audio: draft.mode === "audio" ? (draft.audio?.ref ?? null) : null,
      face: draft.face?.ref ?? null,
    }),
    [draft],
  );
  const videoProblem = video ? narratorVideoProblem(video) : null;
  const checks = useMemo(() => ({ video: videoProblem }), [videoProblem]);
  const catalog = useCatalog(slug);
  const preset = useAppliedPreset("NARRATOR", params, catalog.data, "RenderNet");
  const form = useToolForm({ slug, tool: "NARRATOR", params, checks, canGenerate, alerts: preset.alerts });
  // The video, audio and face stay; a preset's empty script leaves the form's.
  const applyPreset = ({ name, params: saved }: PresetDTO) => {
    setDraft((d) => {
      const next = initialDraft(saved);
      return { ...next, video: d.video, audio: d.audio, face: d.face, script: next.script || d.script };
    });
    preset.applied(name);
  };
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.touch(key);
  };

  return (
    <ToolFormShell
      slug={slug}
      tool="NARRATOR"
      form={form}
      canGenerate={canGenerate}
      notice={
        <>
          <PresetGapsNotice sentence={preset.sentence} />
          <ReuseNotice status={reuseStatus} />
        </>
      }
      submitLabel="Narrate"
      presets={<PresetsControl slug={slug} tool="NARRATOR" params={params} canSave={canGenerate} onApply={applyPreset} />}
    >
      <InputPicker
        id="video"
        slug={slug}
        kind="VIDEO"
        label="Video"
        value={draft.video}
        onChange={set("video")}
        error={form.errorFor("video") ?? (videoProblem ?? undefined)}
        hint="A video with one clear face; at most 30 fps and 1080 × 1920 (either way round)."
        checkVideo={narratorVideoProblem}
        noteFor={videoNote}
      />
      <FieldGroup id="mode" label="Voice from">
        <SegmentedControl
          id="mode"
          value={draft.mode}
          onChange={set("mode")}
          options={[
            { value: "script", label: (<><FileText aria-hidden="true" /> A script</>) },
            { value: "audio", label: (<><AudioLines aria-hidden="true" /> An audio file</>) },
          ]}
        />
      </FieldGroup>
      {draft.mode === "script" ? (
        <>
          <PromptField
            id="script"
            history={{ slug, tool: "NARRATOR" }}
            label="Script"
            value={draft.script}
            onChange={set("script")}
            onBlur={() => form.touch("script")}
            max={PROMPT_MAX}
            minRows={4}
            placeholder="Hi, I'm Maya. Today I'll show you three ways to light a portrait at home."
            error={form.errorFor("script")}
          />
          <VoiceSelect slug={slug} value={draft.voice} onChange={set("voice")} error={form.errorFor("voice")} />
        </>
      ) : (
        <InputPicker
          id="audio"
          slug={slug}
          kind="AUDIO"
          size="compact"
          label="Audio"
          value={draft.audio}
          onChange={set("audio")}
          error={form.errorFor("audio")}
          hint="The narrator lip-syncs the face to this track."
        />
      )}
      <InputPicker
        id="face"
        slug={slug}
        kind="IMAGE"
        size="compact"
        label="Face"
        optional
        value={draft.face}
        onChange={set("face")}
        error={form.errorFor("face")}
        hint="Swaps the speaker's face with the face in this photo."
        pasteTarget
      />
    </ToolFormShell>
  );
}

function VoiceSelect({ slug, value, onChange, error }: { slug: string; value: string; onChange: (voice: string) => void; error?: string }) {
  const catalog = useCatalog(slug);
  const voices = catalog.data?.voices ?? [];
  const known = voices.some((v) => v.name === value);
  return (
    <div className="space-y-2">
      <label htmlFor="voice" className="text-[13px] font-medium">
        Voice
      </label>
      {catalog.isPending ? (
        <Skeleton className="h-10" />
      ) : catalog.isError ? (
        <div role="alert" className="flex items-center justify-between gap-2 rounded-xl border border-danger/30 bg-danger-soft px-3 py-2 text-[13px] text-danger">
          <span>Couldn&apos;t load the voices. {catalog.error.message}</span>
          <button type="button" onClick={() => void catalog.refetch()} className="inline-flex items-center gap-1 font-medium underline-offset-2 hover:underline">
            <RotateCcw className="size-3.5" /> Retry
          </button>
        </div>
      ) : (
        <Select id="voice" value={value} onChange={(e) => onChange(e.target.value)} invalid={Boolean(error)} aria-describedby={error ? "voice-error" : undefined}>
          <option value="" disabled>
            {voices.length === 0 ? "No voices available" : "Choose a voice"}
          </option>
          {value && !known ? <option value={value}>{value} (no longer listed)</option> : null}
          {voices.map((voice) => (
            <option key={voice.name} value={voice.name}>
              {voice.name}
            </option>
          ))}
        </Select>
      )}
      <FieldMessage id="voice" error={error} />
    </div>
  );
}
