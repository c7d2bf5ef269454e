import "server-only";
import { redirect } from "next/navigation";
import type { Viewer } from "@/lib/authz";
import { getGenerationParams } from "@/lib/generations/service";
import type { ToolId } from "@/lib/validation/generations";
import type { ReuseStatus } from "@/components/generate/reuse-notice";
import { toolHref } from "@/components/generate/tools";

export type Reuse = { id: string | null; params: unknown; status: ReuseStatus };

/**
 * `?reuse=<generationId>`: the stored params of one of the workspace's runs, to prefill a tool's form. A run of
 * another tool opens that tool's page instead; an unknown id (or another workspace's) reads as missing.
 */
export async function loadReuse(viewer: Viewer, tool: ToolId, reuse: string | string[] | undefined): Promise<Reuse> {
  const id = typeof reuse === "string" && reuse.length > 0 && reuse.length <= 64 ? reuse : null;
  if (!id) return { id: null, params: null, status: "none" };
  const found = await getGenerationParams(viewer, id);
  if (!found) return { id, params: null, status: "missing" };
  if (found.tool !== tool) redirect(toolHref(viewer.workspaceSlug, found.tool, id));
  return { id, params: found.params, status: "loaded" };
}
