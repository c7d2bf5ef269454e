"use client";

import type { CatalogEntryDTO } from "@/lib/generations/types";
import type { InputValue } from "@/lib/generations-client/input-value";
import { Select } from "@/components/ui/input";
import { FieldGroup, FieldMessage } from "@/components/generate/field-group";
import { ToggleSection } from "@/components/generate/form-section";
import { InputPicker } from "@/components/generate/input-picker";
import { SegmentedControl } from "@/components/generate/segmented-control";

export type Mode = 0 | 1 | 2;
export type ControlNetDraft = { enabled: boolean; name: string; image: InputValue | null; controlMode: Mode; resizeMode: Mode };

const CONTROL_MODES: { value: Mode; label: string; description: string }[] = [
  { value: 0, label: "Balanced", description: "Prompt and reference count the same." },
  { value: 1, label: "Prompt", description: "The prompt matters more than the reference." },
  { value: 2, label: "Reference", description: "The reference matters more than the prompt." },
];
const RESIZE_MODES: { value: Mode; label: string; description: string }[] = [
  { value: 0, label: "Resize & fill", description: "Fit the reference inside and fill the rest." },
  { value: 1, label: "Crop & resize", description: "Crop the reference to the output's shape." },
  { value: 2, label: "Just resize", description: "Stretch the reference to the output's shape." },
];

/** ControlNet for Image: a ControlNet of the chosen base model, its reference image and (not for Flux) its modes. */
export function ControlNetSection({
  slug,
  flux,
  options,
  baseLabel,
  value,
  onChange,
  errorFor,
}: {
  slug: string;
  flux: boolean;
  options: CatalogEntryDTO[];
  baseLabel: string;
  value: ControlNetDraft;
  onChange: (patch: Partial<ControlNetDraft>) => void;
  errorFor: (path: string) => string | undefined;
}) {
  const nameError = errorFor("controlNet.name");
  const known = options.some((o) => o.name === value.name);
  return (
    <ToggleSection
      id="controlNet"
      title="ControlNet"
      description="Follow the edges, depth or pose of a reference image."
      checked={value.enabled}
      onCheckedChange={(enabled) => onChange({ enabled })}
    >
      <div className="space-y-2">
        <label htmlFor="controlNet.name" className="text-[13px] font-medium">
          Type
        </label>
        <Select
          id="controlNet.name"
          value={value.name}
          onChange={(e) => onChange({ name: e.target.value })}
          invalid={Boolean(nameError)}
          aria-describedby={nameError ? "controlNet.name-error" : undefined}
        >
          <option value="" disabled>
            {options.length === 0 ? `No ControlNets for ${baseLabel}` : "Choose a ControlNet"}
          </option>
          {value.name && !known ? <option value={value.name}>{value.name} (not for {baseLabel})</option> : null}
          {options.map((o) => (
            <option key={o.name} value={o.name}>
              {o.name}
            </option>
          ))}
        </Select>
        <FieldMessage id="controlNet.name" error={nameError} hint={`ControlNets made for ${baseLabel}.`} />
      </div>
      <InputPicker
        id="controlNet.image"
        slug={slug}
        kind="IMAGE"
        size="compact"
        label="Reference image"
        value={value.image}
        onChange={(image) => onChange({ image })}
        error={errorFor("controlNet.image")}
        hint={flux ? "Flux makes the image in this reference's aspect ratio." : undefined}
      />
      {flux ? null : (
        <>
          <FieldGroup id="controlNet.controlMode" label="Priority" hint={CONTROL_MODES[value.controlMode]?.description} error={errorFor("controlNet.controlMode")}>
            <SegmentedControl id="controlNet.controlMode" size="sm" value={value.controlMode} onChange={(controlMode) => onChange({ controlMode })} options={CONTROL_MODES} />
          </FieldGroup>
          <FieldGroup id="controlNet.resizeMode" label="Fit" hint={RESIZE_MODES[value.resizeMode]?.description} error={errorFor("controlNet.resizeMode")}>
            <SegmentedControl id="controlNet.resizeMode" size="sm" value={value.resizeMode} onChange={(resizeMode) => onChange({ resizeMode })} options={RESIZE_MODES} />
          </FieldGroup>
        </>
      )}
      {errorFor("controlNet") ? <FieldMessage id="controlNet" error={errorFor("controlNet")} /> : null}
    </ToggleSection>
  );
}
