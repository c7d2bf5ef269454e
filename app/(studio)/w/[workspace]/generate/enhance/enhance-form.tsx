"use client";

import { useMemo, useState } from "react";
import { ArrowRight } from "lucide-react";
import { enhanceParams, inputRef, SCALE_FACTORS } from "@/lib/validation/generations";
import { scaledSize } from "@/lib/generations-client/input-checks";
import { asRecord, fieldOr } from "@/lib/generations-client/reuse-params";
import { inputFromRef, type InputValue } from "@/lib/generations-client/input-value";
import { useInputPreview } from "@/lib/generations-client/use-input-preview";
import { useToolForm } from "@/lib/generations-client/use-tool-form";
import { FieldGroup } from "@/components/generate/field-group";
import { InputPicker } from "@/components/generate/input-picker";
import { ReuseNotice, type ReuseStatus } from "@/components/generate/reuse-notice";
import { SegmentedControl } from "@/components/generate/segmented-control";
import { SliderField } from "@/components/generate/slider-field";
import { ToolFormShell } from "@/components/generate/tool-form-shell";
import { PresetsControl } from "@/components/generate/presets-control";

type Scale = (typeof SCALE_FACTORS)[number];
type Draft = { image: InputValue | null; strength: number; scale: Scale };

function initialDraft(reused: unknown): Draft {
  const p = asRecord(reused);
  return {
    image: inputFromRef(fieldOr(inputRef.nullable(), p.image, null)),
    strength: fieldOr(enhanceParams.shape.strength, p.strength, 0.5),
    scale: fieldOr(enhanceParams.shape.scale, p.scale, 2),
  };
}

export function EnhanceForm({ slug, canGenerate, reused, reuseStatus }: { slug: string; canGenerate: boolean; reused: unknown; reuseStatus: ReuseStatus }) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(reused));
  const params = useMemo(() => ({ image: draft.image?.ref ?? null, strength: draft.strength, scale: draft.scale }), [draft]);
  const form = useToolForm({ slug, tool: "ENHANCE", params, canGenerate });
  const { preview } = useInputPreview(slug, draft.image, "IMAGE");
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.touch(key);
  };
  const size = preview?.width && preview.height ? { width: preview.width, height: preview.height } : null;
  const output = size ? scaledSize(size.width, size.height, draft.scale) : null;

  return (
    <ToolFormShell
      slug={slug}
      tool="ENHANCE"
      form={form}
      canGenerate={canGenerate}
      notice={<ReuseNotice status={reuseStatus} />}
      submitLabel="Enhance"
      presets={
        <PresetsControl slug={slug} tool="ENHANCE" params={params} canSave={canGenerate} onApply={(preset) => setDraft((d) => ({ ...initialDraft(preset.params), image: d.image }))} />
      }
    >
      <InputPicker id="image" slug={slug} kind="IMAGE" label="Image" value={draft.image} onChange={set("image")} error={form.errorFor("image")} pasteTarget />
      <SliderField
        id="strength"
        label="Enhancement strength"
        value={draft.strength}
        min={0}
        max={1}
        step={0.05}
        decimals={2}
        onChange={set("strength")}
        scale={["Faithful", "Strong detail"]}
        hint="How much realistic detail to add."
        error={form.errorFor("strength")}
      />
      <FieldGroup
        id="scale"
        label="Upscale"
        error={form.errorFor("scale")}
        hint={
          output && size ? (
            <span className="inline-flex flex-wrap items-center gap-1.5 tabular-nums">
              {size.width} × {size.height} <ArrowRight className="size-3" aria-label="becomes" /> <span className="font-medium text-ink">{output.width} × {output.height}</span>
            </span>
          ) : (
            "Choose an image to see the output size."
          )
        }
      >
        <SegmentedControl id="scale" value={draft.scale} onChange={set("scale")} options={SCALE_FACTORS.map((f) => ({ value: f, label: `${f}×` }))} />
      </FieldGroup>
    </ToolFormShell>
  );
}
