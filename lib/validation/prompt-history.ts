import type { ToolId } from "@/lib/validation/generations";
import { limitMessage, parseLimit } from "@/lib/validation/primitives";

/**
 * The prompt history's query (GET /api/w/<slug>/prompts?tool=IMAGE&q=castle&limit=20), parsed without zod so the
 * prompt field's browser code stays small. The tools whose runs record the prompt field's own text (Edit records
 * "find → replace" and Enhance none, so they have no history of their own).
 */
export const PROMPT_TOOLS = ["IMAGE", "CONTROLNET", "IMAGE_TO_VIDEO", "NARRATOR"] as const satisfies readonly ToolId[];
export type PromptTool = (typeof PROMPT_TOOLS)[number];

export const PROMPT_SEARCH_MAX = 200;
export const PROMPT_HISTORY_MAX = 50;

export const isPromptTool = (value: unknown): value is PromptTool => (PROMPT_TOOLS as readonly unknown[]).includes(value);

export function parsePromptHistoryQuery(
  params: URLSearchParams,
): { ok: true; tool: PromptTool; search: string | null; limit: number } | { ok: false; error: string } {
  const tool = params.get("tool");
  if (!isPromptTool(tool)) return { ok: false, error: `“tool” must be one of ${PROMPT_TOOLS.join(", ")}.` };
  const search = params.get("q");
  if (search !== null && search.length > PROMPT_SEARCH_MAX) return { ok: false, error: `Search for at most ${PROMPT_SEARCH_MAX} characters.` };
  const limit = parseLimit(params.get("limit"), { fallback: 20, max: PROMPT_HISTORY_MAX });
  if (limit === null) return { ok: false, error: limitMessage(PROMPT_HISTORY_MAX) };
  return { ok: true, tool, search: search?.trim() || null, limit };
}
