/**
 * What an applied preset names that the provider's catalogue no longer lists (a model or style, a LoRA, a ControlNet,
 * a character, a voice), read from the form's current params, so a gap goes away as soon as the creator chooses
 * another. Each gap is a field's message (shown at once, and blocking Generate: a run naming it would only be refused
 * after the click) and a phrase for the sentence above the form. With no catalogue loaded yet, nothing is a gap.
 */
import type { CatalogDTO } from "@/lib/generations/types";
import type { ToolId } from "@/lib/validation/generations";

export type PresetGap = { path: string; phrase: string; message: string };

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown) => (typeof value === "string" ? value : "");
const quoted = (names: string[]) => names.map((name) => `“${name}”`).join(", ");

export function presetGaps(tool: ToolId, params: unknown, catalog: CatalogDTO | undefined, provider: string): PresetGap[] {
  if (!catalog) return [];
  const p = record(params);
  const gaps: PresetGap[] = [];
  const listed = (entries: { name: string }[], name: string) => entries.some((entry) => entry.name === name);
  if (tool === "IMAGE") {
    const base = record(p.base);
    const name = text(base.name);
    const kind = base.kind === "style" ? "style" : "model";
    const entries = kind === "model" ? catalog.models : [...catalog.styles, ...catalog.fluxStyles];
    if (name && !listed(entries, name)) {
      gaps.push({ path: "base", phrase: `the ${kind} “${name}”`, message: `${provider} no longer lists the ${kind} “${name}”. Choose another model or style.` });
    }
    const loras = (Array.isArray(p.loras) ? p.loras : []).map((lora) => text(record(lora).name)).filter((lora) => lora && !listed(catalog.loras, lora));
    if (loras.length > 0) {
      const many = loras.length > 1;
      gaps.push({
        path: "loras",
        phrase: `the LoRA${many ? "s" : ""} ${quoted(loras)}`,
        message: `${provider} no longer lists the LoRA${many ? "s" : ""} ${quoted(loras)}. Remove ${many ? "them" : "it"}, or add others.`,
      });
    }
    const controlNet = text(record(p.controlNet).name);
    if (p.controlNet && controlNet && !listed([...catalog.controlNets, ...catalog.fluxControlNets], controlNet)) {
      gaps.push({ path: "controlNet.name", phrase: `the ControlNet “${controlNet}”`, message: `${provider} no longer lists the ControlNet “${controlNet}”. Choose another.` });
    }
    const character = record(p.character);
    if (p.character && text(character.id) && !catalog.characters.some((c) => c.id === character.id)) {
      const name = text(character.name) || text(character.id);
      gaps.push({ path: "character.id", phrase: `the character “${name}”`, message: `${provider} no longer lists the character “${name}”. Choose another.` });
    }
  }
  if (tool === "NARRATOR" && p.mode !== "audio") {
    const voice = text(p.voice);
    if (voice && !listed(catalog.voices, voice)) {
      gaps.push({ path: "voice", phrase: `the voice “${voice}”`, message: `${provider} no longer lists the voice “${voice}”. Choose another.` });
    }
  }
  return gaps;
}

/** The sentence above the form: "… names the model “A” and the LoRA “B”, which RenderNet no longer lists …". */
export function presetGapsSentence(presetName: string, gaps: PresetGap[], provider: string): string | null {
  if (gaps.length === 0) return null;
  const phrases = gaps.map((gap) => gap.phrase);
  const list = phrases.length === 1 ? phrases[0] : `${phrases.slice(0, -1).join(", ")} and ${phrases.at(-1)}`;
  return `The preset “${presetName}” names ${list}, which ${provider} no longer lists. Choose ${gaps.length === 1 ? "another" : "others"} below before generating.`;
}

/** The gaps as field messages, for the form (useToolForm's `alerts`). */
export function gapAlerts(gaps: PresetGap[]): Record<string, string> {
  return Object.fromEntries(gaps.map((gap) => [gap.path, gap.message]));
}
