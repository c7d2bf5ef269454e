import { ASPECT_RATIOS, MAX_BATCH, type ToolId } from "@/lib/validation/generations";

/**
 * What a run was asked to make, read from its recorded settings: how many outputs and, where the settings fix it, their
 * aspect ratio. The queue shows that many placeholders of that shape while the run works, so a run of 2 images at
 * 16:9 holds two 16:9 frames rather than one square. Settings from an older version that don't say answer 1 output
 * of unknown shape. Pure: the data layer builds the summary with it, and the browser could too.
 */
export type ExpectedOutputs = {
  count: number;
  /** A CSS aspect-ratio ("16 / 9"); null when the output takes its shape from an input (Edit, ControlNet, videos). */
  aspect: string | null;
};

const CONTROLNET_BATCH_MAX = 8;

export function expectedOutputs(tool: ToolId, params: unknown): ExpectedOutputs {
  const p = params !== null && typeof params === "object" ? (params as Record<string, unknown>) : {};
  if (tool === "IMAGE") {
    const ratio = (ASPECT_RATIOS as readonly unknown[]).includes(p.aspectRatio) ? (p.aspectRatio as string) : null;
    return { count: countOf(p.batchSize, MAX_BATCH), aspect: ratio ? ratio.replace(":", " / ") : null };
  }
  if (tool === "CONTROLNET") return { count: countOf(p.batch, CONTROLNET_BATCH_MAX), aspect: null };
  return { count: 1, aspect: null };
}

function countOf(value: unknown, max: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? Math.min(value, max) : 1;
}
