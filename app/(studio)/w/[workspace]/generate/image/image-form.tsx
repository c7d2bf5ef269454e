"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "@/lib/client/toast";
import type { CatalogDTO } from "@/lib/generations/types";
import { ASPECT_RATIOS, imageParams, inputRef, isFluxBase, MAX_BATCH, PROMPT_MAX, QUALITIES, SAMPLERS } from "@/lib/validation/generations";
import { seedOf } from "@/lib/generations/seeds";
import { asRecord, fieldOr } from "@/lib/generations-client/reuse-params";
import { inputFromRef, type InputValue } from "@/lib/generations-client/input-value";
import { useCatalog } from "@/lib/generations-client/use-catalog";
import { useToolForm } from "@/lib/generations-client/use-tool-form";
import { Select } from "@/components/ui/input";
import { AspectRatioPicker } from "@/components/generate/aspect-ratio-picker";
import { FieldGroup, FieldMessage } from "@/components/generate/field-group";
import { CollapsibleSection, ToggleSection } from "@/components/generate/form-section";
import { InputPicker } from "@/components/generate/input-picker";
import { PromptField, type PromptFieldHandle } from "@/components/generate/prompt-field";
import { ReuseNotice, type ReuseStatus } from "@/components/generate/reuse-notice";
import { SeedField } from "@/components/generate/seed-field";
import { SegmentedControl } from "@/components/generate/segmented-control";
import { SliderField } from "@/components/generate/slider-field";
import { ToolFormShell } from "@/components/generate/tool-form-shell";
import { PresetGapsNotice, PresetsControl } from "@/components/generate/presets-control";
import type { PresetDTO } from "@/lib/data/presets";
import { useAppliedPreset } from "@/lib/generations-client/use-applied-preset";
import { baseFromEntry, baseModelLabel, sameBaseModel, type Base } from "./base-model";
import { BasePicker } from "./base-picker";
import { BatchButton } from "./batch-button";
import { CharacterSection, type CharacterDraft } from "./character-section";
import { ControlNetSection, type ControlNetDraft } from "./controlnet-section";
import { LoraList, type LoraChoice } from "./lora-list";
import { plural } from "@/lib/validation/text";

type AspectRatio = (typeof ASPECT_RATIOS)[number];
type Sampler = (typeof SAMPLERS)[number];
type Quality = (typeof QUALITIES)[number];

type Draft = {
  base: Base | null;
  prompt: string;
  negativePrompt: string;
  aspectRatio: AspectRatio;
  batchSize: number;
  guidance: number;
  steps: number;
  sampler: Sampler;
  quality: Quality;
  seed: number | null;
  loras: LoraChoice[];
  controlNet: ControlNetDraft;
  faceLock: { enabled: boolean; image: InputValue | null };
  character: CharacterDraft;
};

const s = imageParams.shape;

/**
 * Defaults for a fresh form; a reused run overrides every field it stored (SD-only fields stay default for Flux), its
 * seed included. "Same seed, new prompt" (`newPrompt`) keeps everything but the prompt.
 */
function initialDraft(reused: unknown, newPrompt: boolean): Draft {
  const p = asRecord(reused);
  const controlNet = asRecord(p.controlNet);
  const faceLock = asRecord(p.faceLock);
  const character = asRecord(p.character);
  return {
    base: fieldOr(s.base.nullable(), p.base, null),
    prompt: !newPrompt && typeof p.prompt === "string" ? p.prompt : "",
    negativePrompt: typeof p.negativePrompt === "string" ? p.negativePrompt : "",
    aspectRatio: fieldOr(s.aspectRatio, p.aspectRatio, "1:1"),
    batchSize: fieldOr(s.batchSize, p.batchSize, 1),
    guidance: fieldOr(s.guidance.unwrap(), p.guidance, 7),
    steps: fieldOr(s.steps.unwrap(), p.steps, 20),
    sampler: fieldOr(s.sampler.unwrap(), p.sampler, "DPM++ 2M Karras"),
    quality: fieldOr(s.quality.unwrap(), p.quality, "Regular"),
    seed: fieldOr(s.seed, p.seed, null),
    loras: fieldOr(s.loras, p.loras, []),
    controlNet: {
      enabled: p.controlNet !== null && p.controlNet !== undefined,
      name: typeof controlNet.name === "string" ? controlNet.name : "",
      image: inputFromRef(fieldOr(inputRef.nullable(), controlNet.image, null)),
      controlMode: fieldOr(s.controlNet.unwrap().unwrap().shape.controlMode, controlNet.controlMode, 0),
      resizeMode: fieldOr(s.controlNet.unwrap().unwrap().shape.resizeMode, controlNet.resizeMode, 0),
    },
    faceLock: { enabled: p.faceLock !== null && p.faceLock !== undefined, image: inputFromRef(fieldOr(inputRef.nullable(), faceLock.image, null)) },
    character: {
      enabled: p.character !== null && p.character !== undefined,
      id: typeof character.id === "string" ? character.id : "",
      name: typeof character.name === "string" ? character.name : "",
      mode: fieldOr(s.character.unwrap().unwrap().shape.mode, character.mode, "balanced"),
    },
  };
}

/** What the form sends: only the fields that apply to the chosen base (Flux takes fewer). */
function toParams(draft: Draft, flux: boolean) {
  return {
    base: draft.base ?? undefined,
    prompt: draft.prompt,
    negativePrompt: flux ? "" : draft.negativePrompt,
    aspectRatio: draft.aspectRatio,
    batchSize: draft.batchSize,
    ...(flux ? {} : { guidance: draft.guidance, steps: draft.steps, sampler: draft.sampler, quality: draft.quality }),
    seed: draft.seed,
    loras: flux ? [] : draft.loras,
    controlNet: draft.controlNet.enabled
      ? {
          name: draft.controlNet.name,
          image: draft.controlNet.image?.ref ?? null,
          controlMode: flux ? 0 : draft.controlNet.controlMode,
          resizeMode: flux ? 0 : draft.controlNet.resizeMode,
        }
      : null,
    faceLock: draft.faceLock.enabled ? { image: draft.faceLock.image?.ref ?? null } : null,
    character: draft.character.enabled && draft.character.id ? { id: draft.character.id, name: draft.character.name, mode: draft.character.mode } : null,
  };
}

export function ImageForm({
  slug,
  canGenerate,
  reused,
  reuseStatus,
  newPrompt = false,
}: {
  slug: string;
  canGenerate: boolean;
  reused: unknown;
  reuseStatus: ReuseStatus;
  newPrompt?: boolean;
}) {
  const [stored, setDraft] = useState<Draft>(() => initialDraft(reused, newPrompt));
  const catalog = useCatalog(slug);
  const promptRef = useRef<PromptFieldHandle>(null);
  // "Same seed, new prompt": the one field left to fill has the focus.
  useEffect(() => {
    if (newPrompt) promptRef.current?.focus();
  }, [newPrompt]);
  // A fresh form starts on the catalogue's first model until the user picks one.
  const firstModel = reuseStatus === "loaded" ? undefined : catalog.data?.models[0];
  const draft = useMemo(() => (stored.base || !firstModel ? stored : { ...stored, base: baseFromEntry("model", firstModel) }), [stored, firstModel]);
  const flux = draft.base ? isFluxBase(draft.base) : false;
  const baseModel = flux ? "flux" : draft.base?.baseModel;
  const baseLabel = baseModelLabel(baseModel) || "this model";

  const params = useMemo(() => toParams(draft, flux), [draft, flux]);
  const checks = useMemo(
    () => ({ "character.id": draft.character.enabled && !draft.character.id ? "Choose a character, or switch Character off." : null }),
    [draft.character.enabled, draft.character.id],
  );
  // A fresh form's model comes with the catalogue: Generate waits for it rather than refuse a click as incomplete.
  const waitingFor = !draft.base && catalog.isPending ? "Loading models…" : null;
  const preset = useAppliedPreset("IMAGE", params, catalog.data, "RenderNet");
  const form = useToolForm({ slug, tool: "IMAGE", params, checks, canGenerate, waitingFor, alerts: preset.alerts });
  // A preset replaces every setting but the inputs (the ControlNet's reference, the face) and the seed; its empty
  // prompt leaves the one written here.
  const applyPreset = ({ name, params: saved }: PresetDTO) => {
    setDraft((d) => {
      const next = initialDraft(saved, false);
      return {
        ...next,
        prompt: next.prompt || d.prompt,
        seed: d.seed,
        controlNet: { ...next.controlNet, image: d.controlNet.image },
        faceLock: { ...next.faceLock, image: d.faceLock.image },
      };
    });
    preset.applied(name);
  };

  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.touch(key);
  };
  // Switching a section on shows its fields without errors; a field's error shows once that field is used.
  const patch = <K extends "controlNet" | "faceLock" | "character">(key: K) => (value: Partial<Draft[K]>) => {
    setDraft((d) => ({ ...d, [key]: { ...d[key], ...value } }));
    for (const field of Object.keys(value)) if (field !== "enabled") form.touch(`${key}.${field}`);
  };

  const changeBase = (base: Base) => {
    const nextFlux = isFluxBase(base);
    const nextBaseModel = nextFlux ? "flux" : base.baseModel;
    const keptLoras = nextFlux ? draft.loras : draft.loras.filter((l) => loraFits(catalog.data, l.name, nextBaseModel));
    const dropped = nextFlux ? 0 : draft.loras.length - keptLoras.length;
    const controlNetFits = !draft.controlNet.name || controlNetOptions(catalog.data, nextFlux, nextBaseModel).some((c) => c.name === draft.controlNet.name);
    setDraft((d) => ({ ...d, base, loras: keptLoras, controlNet: controlNetFits ? d.controlNet : { ...d.controlNet, name: "" } }));
    form.touch("base");
    const notes = [dropped > 0 ? plural(dropped, "LoRA") : null, controlNetFits ? null : "the ControlNet"].filter(Boolean);
    if (notes.length > 0) toast(`Removed ${notes.join(" and ")} made for ${baseLabel}`, { description: `${base.name} uses ${baseModelLabel(nextBaseModel)}.` });
  };

  const characterToken = draft.character.enabled && draft.character.name ? `{${draft.character.name}}` : null;
  const fineTuneError = ["guidance", "steps", "sampler", "quality", "seed"].map(form.errorFor).find(Boolean);

  return (
    <ToolFormShell
      slug={slug}
      tool="IMAGE"
      form={form}
      canGenerate={canGenerate}
      notice={
        <>
          <PresetGapsNotice sentence={preset.sentence} />
          <ReuseNotice status={reuseStatus} seed={seedOf("IMAGE", reused)} newPrompt={newPrompt} />
        </>
      }
      presets={<PresetsControl slug={slug} tool="IMAGE" params={params} canSave={canGenerate} onApply={applyPreset} />}
    >
      <BasePicker
        catalog={catalog.data}
        loading={catalog.isPending}
        loadError={catalog.isError ? catalog.error.message : null}
        onRetry={() => void catalog.refetch()}
        value={draft.base}
        onChange={changeBase}
        error={form.errorFor("base")}
      />
      <PromptField
        ref={promptRef}
        id="prompt"
        history={{ slug, tool: "IMAGE" }}
        label="Prompt"
        value={draft.prompt}
        onChange={set("prompt")}
        onBlur={() => form.touch("prompt")}
        max={PROMPT_MAX}
        minRows={4}
        placeholder="A lighthouse on a cliff at dusk, volumetric light, 35mm film"
        tokens={characterToken ? [characterToken] : undefined}
        error={form.errorFor("prompt")}
      />
      {flux ? null : (
        <PromptField
          id="negativePrompt"
          label="Negative prompt"
          optional
          value={draft.negativePrompt}
          onChange={set("negativePrompt")}
          onBlur={() => form.touch("negativePrompt")}
          max={PROMPT_MAX}
          minRows={1}
          placeholder="blurry, watermark, extra fingers"
          error={form.errorFor("negativePrompt")}
        />
      )}
      <FieldGroup
        id="aspectRatio"
        label="Aspect ratio"
        error={form.errorFor("aspectRatio")}
        hint={flux && draft.controlNet.enabled ? "With a ControlNet, Flux uses the reference image's aspect ratio." : undefined}
      >
        <AspectRatioPicker id="aspectRatio" value={draft.aspectRatio} options={ASPECT_RATIOS} onChange={set("aspectRatio")} invalid={Boolean(form.errorFor("aspectRatio"))} />
      </FieldGroup>
      <FieldGroup id="batchSize" label="Images" error={form.errorFor("batchSize")}>
        <SegmentedControl
          id="batchSize"
          value={draft.batchSize}
          onChange={set("batchSize")}
          options={Array.from({ length: MAX_BATCH }, (_, i) => ({ value: i + 1, label: String(i + 1), ariaLabel: plural(i + 1, "image") }))}
        />
      </FieldGroup>

      <CollapsibleSection
        title="More settings"
        summary={flux ? seedSummary(draft.seed) : `Guidance ${draft.guidance} · ${draft.steps} steps · ${draft.quality} · ${seedSummary(draft.seed)}`}
        forceOpen={Boolean(fineTuneError)}
      >
        {flux ? (
          <p className="rounded-xl bg-surface-2/70 px-3 py-2 text-[12px] text-muted">Flux sets guidance, steps, sampler and quality itself.</p>
        ) : (
          <>
            <SliderField id="guidance" label="Guidance" value={draft.guidance} min={4} max={12} step={0.5} decimals={1} onChange={set("guidance")} scale={["Creative", "Literal"]} error={form.errorFor("guidance")} />
            <SliderField id="steps" label="Steps" value={draft.steps} min={10} max={30} step={1} onChange={set("steps")} hint="More steps: finer detail, slower." error={form.errorFor("steps")} />
            <div className="space-y-2">
              <label htmlFor="sampler" className="text-[13px] font-medium">
                Sampler
              </label>
              <Select id="sampler" value={draft.sampler} onChange={(e) => set("sampler")(e.target.value as Sampler)} invalid={Boolean(form.errorFor("sampler"))}>
                {SAMPLERS.map((sampler) => (
                  <option key={sampler}>{sampler}</option>
                ))}
              </Select>
              <FieldMessage id="sampler" error={form.errorFor("sampler")} />
            </div>
            <FieldGroup id="quality" label="Quality" error={form.errorFor("quality")} hint={draft.quality === "Plus" ? "Finer detail, at a higher price." : "Standard detail."}>
              <SegmentedControl id="quality" value={draft.quality} onChange={set("quality")} options={QUALITIES.map((q) => ({ value: q, label: q }))} />
            </FieldGroup>
          </>
        )}
        <SeedField id="seed" value={draft.seed} onChange={set("seed")} onBlur={() => form.touch("seed")} error={form.errorFor("seed")} />
      </CollapsibleSection>

      {flux ? null : <LoraList available={loraOptions(catalog.data, baseModel)} baseLabel={baseLabel} value={draft.loras} onChange={set("loras")} errorFor={form.errorFor} />}

      <div className="space-y-3">
        <ControlNetSection
          slug={slug}
          flux={flux}
          options={controlNetOptions(catalog.data, flux, baseModel)}
          baseLabel={baseLabel}
          value={draft.controlNet}
          onChange={patch("controlNet")}
          errorFor={form.errorFor}
        />
        <ToggleSection
          id="faceLock"
          title="Face lock"
          description="Give the people in the image this face."
          checked={draft.faceLock.enabled}
          onCheckedChange={(enabled) => patch("faceLock")({ enabled })}
        >
          <InputPicker
            id="faceLock.image"
            slug={slug}
            kind="IMAGE"
            size="compact"
            label="Face photo"
            value={draft.faceLock.image}
            onChange={(image) => patch("faceLock")({ image })}
            error={form.errorFor("faceLock.image")}
            hint="A clear, front-facing photo of one person."
          />
        </ToggleSection>
        <CharacterSection
          characters={catalog.data?.characters}
          loading={catalog.isPending}
          loadError={catalog.isError ? catalog.error.message : null}
          onRetry={() => void catalog.refetch()}
          value={draft.character}
          onChange={patch("character")}
          promptHasToken={characterToken !== null && draft.prompt.includes(characterToken)}
          onInsertToken={() => characterToken && promptRef.current?.insert(characterToken)}
          errorFor={form.errorFor}
          createHref={`/w/${slug}/assets/characters?new=1`}
        />
      </div>
      {canGenerate ? <BatchButton slug={slug} params={params} catalog={catalog.data} /> : null}
    </ToolFormShell>
  );
}

function seedSummary(seed: number | null): string {
  return seed === null || Number.isNaN(seed) ? "random seed" : `seed ${seed}`;
}

function loraOptions(catalog: CatalogDTO | undefined, baseModel: string | undefined) {
  return (catalog?.loras ?? []).filter((l) => !baseModel || sameBaseModel(l.baseModel, baseModel));
}

function loraFits(catalog: CatalogDTO | undefined, name: string, baseModel: string | undefined): boolean {
  const entry = catalog?.loras.find((l) => l.name === name);
  return !entry || !baseModel || sameBaseModel(entry.baseModel, baseModel);
}

function controlNetOptions(catalog: CatalogDTO | undefined, flux: boolean, baseModel: string | undefined) {
  if (!catalog) return [];
  if (flux) return catalog.fluxControlNets;
  return catalog.controlNets.filter((c) => !baseModel || sameBaseModel(c.baseModel, baseModel));
}
