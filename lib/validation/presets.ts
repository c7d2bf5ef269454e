import { z } from "zod";
import { TOOLS, toolParams, type ToolId } from "@/lib/validation/generations";
import { workspaceRef } from "@/lib/validation/workspaces";

/**
 * Presets: a tool's form saved under a name, shared by the form (the save dialog), the actions and the data layer.
 *
 * What a preset holds is the tool's params **minus its inputs** (images, videos, audio, faces: a preset never holds
 * anyone's file) and minus the seed (a preset is for many runs, each with its own). It is checked with the tool's own
 * schema, so every rule a run obeys (Flux takes no LoRAs, a character's {Name} in the prompt...) holds for a preset:
 * the inputs are stood in for by placeholders while it is parsed, then taken out again. The text the creator writes
 * each time (Image's and ControlNet's prompt, Edit's find and replace, Narrator's script) may be left empty in a
 * preset: applying one then keeps what the form holds.
 */

export const PRESET_NAME_MAX = 60;
/** How many presets of one tool the list shows: the caller's personal ones, then as many shared ones. */
export const PRESET_LIST_MAX = 200;

export const presetNameField = z
  .string({ error: "Name the preset." })
  .trim()
  .min(1, "Name the preset.")
  .max(PRESET_NAME_MAX, `Use at most ${PRESET_NAME_MAX} characters.`);

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "That id is malformed.");

export type PresetParams = Record<string, unknown>;

type Record_ = Record<string, unknown>;
const asObject = (value: unknown): Record_ => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record_) : {});

/** The input fields of each tool (top level); Image's inputs sit inside its ControlNet and face lock, handled apart. */
const INPUT_FIELDS: Record<ToolId, readonly string[]> = {
  IMAGE: [],
  EDIT: ["image"],
  ENHANCE: ["image"],
  NARRATOR: ["video", "audio", "face"],
  IMAGE_TO_VIDEO: ["image"],
  CONTROLNET: ["image"],
};

/** The text a creator writes for each run: may be empty in a preset. */
const OWN_TEXT_FIELDS: Record<ToolId, readonly string[]> = {
  IMAGE: ["prompt"],
  EDIT: ["find", "replace"],
  ENHANCE: [],
  NARRATOR: ["script"],
  IMAGE_TO_VIDEO: [],
  CONTROLNET: ["prompt"],
};

/** The fields of a tool's params that a preset holds (everything but inputs), for the apply step and tests. */
export function withoutInputs(tool: ToolId, params: unknown): PresetParams {
  const out: Record_ = { ...asObject(params) };
  for (const field of INPUT_FIELDS[tool]) delete out[field];
  if (tool === "IMAGE") {
    delete out.seed;
    if (out.controlNet !== null && out.controlNet !== undefined) {
      const { image: _image, ...controlNet } = asObject(out.controlNet);
      out.controlNet = controlNet;
    }
    // Face lock on or off is a setting; whose face is an input.
    if (out.faceLock !== null && out.faceLock !== undefined) out.faceLock = {};
  }
  return out;
}

// Never resolved: the params are only parsed with it, and it is taken out again before anything is stored.
const PLACEHOLDER_INPUT = { kind: "asset", id: "preset-placeholder" } as const;
const PLACEHOLDER_TEXT = "preset";

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/** The preset as a run's params: placeholders where the inputs (and empty prompts) go. */
function asRunParams(tool: ToolId, preset: Record_): { params: Record_; blanks: string[] } {
  const params: Record_ = { ...preset };
  for (const field of INPUT_FIELDS[tool]) params[field] = PLACEHOLDER_INPUT;
  if (tool === "NARRATOR") {
    // Only the input its mode uses is required; the optional face is left out.
    params.audio = params.mode === "audio" ? PLACEHOLDER_INPUT : null;
    params.face = null;
  }
  if (tool === "IMAGE") {
    if (params.controlNet !== null && params.controlNet !== undefined) params.controlNet = { ...asObject(params.controlNet), image: PLACEHOLDER_INPUT };
    if (params.faceLock !== null && params.faceLock !== undefined) params.faceLock = { image: PLACEHOLDER_INPUT };
    params.seed = null;
  }
  const blanks: string[] = [];
  for (const field of OWN_TEXT_FIELDS[tool]) {
    if (!isBlank(params[field])) continue;
    if (tool === "NARRATOR" && params.mode === "audio") continue; // no script in audio mode: the schema defaults it
    blanks.push(field);
    const character = tool === "IMAGE" ? asObject(params.character) : {};
    params[field] = typeof character.name === "string" ? `{${character.name}}` : PLACEHOLDER_TEXT;
  }
  return { params, blanks };
}

export type PresetParamsResult = { ok: true; params: PresetParams } | { ok: false; issues: { path: PropertyKey[]; message: string }[] };

/**
 * A preset's params checked with the tool's schema: whatever inputs they carry are dropped (never stored), and the
 * result is what the tool's form would send, without inputs or seed.
 */
export function parsePresetParams(tool: ToolId, raw: unknown): PresetParamsResult {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return { ok: false, issues: [{ path: [], message: "The preset's settings are missing." }] };
  const { params, blanks } = asRunParams(tool, withoutInputs(tool, raw));
  const parsed = (toolParams[tool] as z.ZodType<Record_>).safeParse(params);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) };
  const stored = withoutInputs(tool, parsed.data);
  for (const field of blanks) stored[field] = "";
  return { ok: true, params: stored };
}

/** `params` checked against `tool` (both in the same input), each refusal under `params.<field>`. */
function presetParamsRefined<T extends { tool: ToolId; params: unknown }>(value: T, ctx: z.RefinementCtx): T & { params: PresetParams } {
  const parsed = parsePresetParams(value.tool, value.params);
  if (!parsed.ok) {
    for (const issue of parsed.issues) ctx.addIssue({ code: "custom", path: ["params", ...issue.path], message: issue.message });
    return z.NEVER;
  }
  return { ...value, params: parsed.params };
}

export const presetTool = z.enum(TOOLS, { error: "Choose a tool." });

export const createPresetSchema = z
  .object({
    workspace: workspaceRef,
    tool: presetTool,
    name: presetNameField,
    shared: z.boolean().default(false),
    params: z.record(z.string(), z.unknown(), { error: "The preset's settings are missing." }),
    /** The board results land in when the preset is applied (the form's board when it was saved). */
    boardId: id.nullable().default(null),
    /** One of the workspace's results, shown beside the name. */
    thumbnailMediaId: id.nullable().default(null),
  })
  .transform(presetParamsRefined);
export type CreatePresetInput = z.infer<typeof createPresetSchema>;

export const renamePresetSchema = z.object({ workspace: workspaceRef, presetId: id, name: presetNameField });

/** "Update from current settings": the form's params (and its board) replace the preset's; name and sharing stay. */
export const updatePresetSchema = z
  .object({
    workspace: workspaceRef,
    presetId: id,
    tool: presetTool,
    params: z.record(z.string(), z.unknown(), { error: "The preset's settings are missing." }),
    boardId: id.nullable().default(null),
  })
  .transform(presetParamsRefined);

export const deletePresetSchema = z.object({ workspace: workspaceRef, presetId: id });

/** GET /api/w/<slug>/presets?tool=IMAGE, parsed without zod so the tool forms' browser code stays small. */
export function parsePresetListQuery(params: URLSearchParams): { ok: true; tool: ToolId } | { ok: false; error: string } {
  const tool = params.get("tool");
  if (!(TOOLS as readonly unknown[]).includes(tool)) return { ok: false, error: `“tool” must be one of ${TOOLS.join(", ")}.` };
  return { ok: true, tool: tool as ToolId };
}
