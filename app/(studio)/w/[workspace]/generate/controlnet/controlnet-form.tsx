"use client";

import { useMemo, useState } from "react";
import { Bone, Layers, PenLine } from "lucide-react";
import { CONTROLNET_KINDS, controlNetParams, GPU_TIERS, inputRef, PROMPT_MAX } from "@/lib/validation/generations";
import { asRecord, fieldOr } from "@/lib/generations-client/reuse-params";
import { inputFromRef, type InputValue } from "@/lib/generations-client/input-value";
import { useToolForm } from "@/lib/generations-client/use-tool-form";
import { FieldGroup } from "@/components/generate/field-group";
import { CollapsibleSection } from "@/components/generate/form-section";
import { InputPicker } from "@/components/generate/input-picker";
import { PromptField } from "@/components/generate/prompt-field";
import { ReuseNotice, type ReuseStatus } from "@/components/generate/reuse-notice";
import { SegmentedControl } from "@/components/generate/segmented-control";
import { SliderField } from "@/components/generate/slider-field";
import { ToolFormShell } from "@/components/generate/tool-form-shell";
import { PresetsControl } from "@/components/generate/presets-control";

type Kind = (typeof CONTROLNET_KINDS)[number];
type Gpu = (typeof GPU_TIERS)[number];
type Draft = {
  kind: Kind;
  image: InputValue | null;
  prompt: string;
  negativePrompt: string;
  guidance: number;
  batch: number;
  strength: number;
  steps: number;
  gpu: Gpu;
};

const KIND_INFO: Record<Kind, { label: string; icon: typeof Layers; hint: string }> = {
  canny: { label: "Canny", icon: PenLine, hint: "Keeps the outlines and edges of the reference." },
  depth: { label: "Depth", icon: Layers, hint: "Keeps what is near and far: the layout of the scene." },
  pose: { label: "Pose", icon: Bone, hint: "Keeps the pose of the people in the reference." },
};

const GPU_INFO: Record<Gpu, string> = { a10g: "A10G", a100: "A100", h100: "H100" };

function initialDraft(reused: unknown): Draft {
  const p = asRecord(reused);
  const s = controlNetParams.shape;
  return {
    kind: fieldOr(s.kind, p.kind, "canny"),
    image: inputFromRef(fieldOr(inputRef.nullable(), p.image, null)),
    prompt: typeof p.prompt === "string" ? p.prompt : "",
    negativePrompt: typeof p.negativePrompt === "string" ? p.negativePrompt : "",
    guidance: fieldOr(s.guidance, p.guidance, 7.5),
    batch: fieldOr(s.batch, p.batch, 1),
    strength: fieldOr(s.strength, p.strength, 0.8),
    steps: fieldOr(s.steps, p.steps, 30),
    gpu: fieldOr(s.gpu, p.gpu, "a10g"),
  };
}

export function ControlNetForm({ slug, canGenerate, reused, reuseStatus }: { slug: string; canGenerate: boolean; reused: unknown; reuseStatus: ReuseStatus }) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(reused));
  const params = useMemo(() => ({ ...draft, image: draft.image?.ref ?? null }), [draft]);
  const form = useToolForm({ slug, tool: "CONTROLNET", params, canGenerate });
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.touch(key);
  };
  const advancedError = form.errorFor("guidance") ?? form.errorFor("steps") ?? form.errorFor("gpu");

  return (
    <ToolFormShell
      slug={slug}
      tool="CONTROLNET"
      form={form}
      canGenerate={canGenerate}
      notice={<ReuseNotice status={reuseStatus} />}
      presets={
        <PresetsControl
          slug={slug}
          tool="CONTROLNET"
          params={params}
          canSave={canGenerate}
          // The reference image stays; a preset's empty prompt leaves the form's.
          onApply={(preset) =>
            setDraft((d) => {
              const next = initialDraft(preset.params);
              return { ...next, image: d.image, prompt: next.prompt || d.prompt };
            })
          }
        />
      }
    >
      <FieldGroup id="kind" label="Control" error={form.errorFor("kind")} hint={KIND_INFO[draft.kind].hint}>
        <SegmentedControl
          id="kind"
          value={draft.kind}
          onChange={set("kind")}
          options={CONTROLNET_KINDS.map((kind) => {
            const Icon = KIND_INFO[kind].icon;
            return { value: kind, label: (<><Icon aria-hidden="true" /> {KIND_INFO[kind].label}</>) };
          })}
        />
      </FieldGroup>
      <InputPicker
        id="image"
        slug={slug}
        kind="IMAGE"
        label="Reference image"
        value={draft.image}
        onChange={set("image")}
        error={form.errorFor("image")}
        hint="Images over 1536 × 1536 are scaled down by Qolaba."
        pasteTarget
      />
      <PromptField
        id="prompt"
        history={{ slug, tool: "CONTROLNET" }}
        label="Prompt"
        value={draft.prompt}
        onChange={set("prompt")}
        onBlur={() => form.touch("prompt")}
        max={PROMPT_MAX}
        placeholder="A bronze statue in a rainy neon street, cinematic lighting"
        error={form.errorFor("prompt")}
      />
      <PromptField
        id="negativePrompt"
        label="Negative prompt"
        optional
        minRows={2}
        value={draft.negativePrompt}
        onChange={set("negativePrompt")}
        onBlur={() => form.touch("negativePrompt")}
        max={PROMPT_MAX}
        placeholder="blurry, extra fingers, watermark"
        error={form.errorFor("negativePrompt")}
      />
      <SliderField
        id="strength"
        label="Follow the reference"
        value={draft.strength}
        min={0.05}
        max={1}
        step={0.05}
        decimals={2}
        onChange={set("strength")}
        scale={["Loosely", "Closely"]}
        error={form.errorFor("strength")}
      />
      <SliderField id="batch" label="Images" value={draft.batch} min={1} max={8} step={1} onChange={set("batch")} error={form.errorFor("batch")} hint="Qolaba may return fewer when an image is filtered as unsafe." />
      <CollapsibleSection
        title="More settings"
        summary={`Guidance ${draft.guidance} · ${draft.steps} steps · ${GPU_INFO[draft.gpu]}`}
        forceOpen={Boolean(advancedError)}
      >
        <SliderField
          id="guidance"
          label="Guidance"
          value={draft.guidance}
          min={1}
          max={30}
          step={0.5}
          decimals={1}
          onChange={set("guidance")}
          scale={["Creative", "Literal"]}
          error={form.errorFor("guidance")}
        />
        <SliderField id="steps" label="Steps" value={draft.steps} min={1} max={50} step={1} onChange={set("steps")} hint="More steps: finer, slower." error={form.errorFor("steps")} />
        <FieldGroup id="gpu" label="GPU" error={form.errorFor("gpu")} hint="A faster GPU finishes sooner.">
          <SegmentedControl id="gpu" value={draft.gpu} onChange={set("gpu")} options={GPU_TIERS.map((g) => ({ value: g, label: GPU_INFO[g] }))} />
        </FieldGroup>
      </CollapsibleSection>
    </ToolFormShell>
  );
}
