import "server-only";
import { redirect } from "next/navigation";
import type { Viewer } from "@/lib/authz";
import { getGenerationParams } from "@/lib/data/generations";
import { getInputMedia } from "@/lib/data/media";
import type { ToolId } from "@/lib/validation/generations";
import { isId } from "@/lib/validation/primitives";
import type { ReuseStatus } from "@/components/generate/reuse-notice";
import { toolHref } from "@/components/generate/tools";

export type Reuse = { id: string | null; params: unknown; status: ReuseStatus };

/**
 * `?reuse=<generationId>`: the stored params of one of the workspace's runs, to prefill a tool's form. A run of
 * another tool opens that tool's page instead; an unknown id (or another workspace's) reads as missing, and a value
 * that can't be an id as none at all (it never reaches the database).
 */
export async function loadReuse(viewer: Viewer, tool: ToolId, reuse: string | string[] | undefined): Promise<Reuse> {
  const id = isId(reuse) ? reuse : null;
  if (!id) return { id: null, params: null, status: "none" };
  const found = await getGenerationParams(viewer, id);
  if (!found) return { id, params: null, status: "missing" };
  if (found.tool !== tool) redirect(toolHref(viewer.workspaceSlug, found.tool, id));
  return { id, params: found.params, status: "loaded" };
}

/** The form field a tool's main input goes in, and the kind it takes ("Use as input" from the gallery). */
const INPUT_FIELD: Partial<Record<ToolId, { field: string; kind: "IMAGE" | "VIDEO" }>> = {
  EDIT: { field: "image", kind: "IMAGE" },
  ENHANCE: { field: "image", kind: "IMAGE" },
  IMAGE_TO_VIDEO: { field: "image", kind: "IMAGE" },
  CONTROLNET: { field: "image", kind: "IMAGE" },
  NARRATOR: { field: "video", kind: "VIDEO" },
};

/**
 * `?input=<mediaId>`: a gallery item as the tool's main input. An item of another workspace, a missing one, or one
 * of the wrong kind reads as missing.
 */
export async function loadInput(viewer: Viewer, tool: ToolId, input: string | string[] | undefined): Promise<Reuse> {
  const id = isId(input) ? input : null;
  const target = INPUT_FIELD[tool];
  if (!id) return { id: null, params: null, status: "none" };
  const media = target ? await getInputMedia(viewer, id, target.kind) : null;
  if (!media || !target) return { id: null, params: null, status: "input-missing" };
  return { id: `input:${id}`, params: { [target.field]: { kind: "media", id: media.id } }, status: "none" };
}
