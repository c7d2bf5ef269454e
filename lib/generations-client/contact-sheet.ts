import { batchDimensions, cellCoords, SHEET_DIMENSIONS, type SheetDimension, type StoredBatchPlan } from "@/lib/validation/batches";

/**
 * A contact sheet's layout: the batch's cells as a matrix, rows and columns chosen among the plan's dimensions. The
 * dimensions left off the axes are stacked inside each square (all the seeds of one prompt × model, say), in cell
 * order. Pure, so the page and the PNG export lay the sheet out the same way.
 */

export const DIMENSION_LABEL: Record<SheetDimension, string> = { prompt: "Prompt", base: "Model or style", aspectRatio: "Aspect ratio", seed: "Seed" };

export function axisLabels(plan: StoredBatchPlan, dimension: SheetDimension): string[] {
  switch (dimension) {
    case "prompt":
      return plan.prompts;
    case "base":
      return plan.bases.map((b) => (b.kind === "style" ? `${b.name} (style)` : b.name));
    case "aspectRatio":
      return plan.aspectRatios;
    case "seed":
      return plan.seeds.values.map(String);
  }
}

/** The default axes: prompts down the side, and across the first other dimension with more than one value. */
export function defaultAxes(plan: StoredBatchPlan): { rows: SheetDimension; columns: SheetDimension } {
  const sizes = dimensionSizes(plan);
  const rows: SheetDimension = sizes.prompt > 1 ? "prompt" : (SHEET_DIMENSIONS.find((d) => sizes[d] > 1) ?? "prompt");
  const columns = SHEET_DIMENSIONS.find((d) => d !== rows && sizes[d] > 1) ?? SHEET_DIMENSIONS.find((d) => d !== rows)!;
  return { rows, columns };
}

function dimensionSizes(plan: StoredBatchPlan): Record<SheetDimension, number> {
  const d = batchDimensions(plan);
  return { prompt: d.prompts, base: d.bases, aspectRatio: d.aspectRatios, seed: d.seeds };
}

export type SheetLayout = { rows: string[]; columns: string[]; squares: number[][][] };

/** squares[row][column] = the cells (indices) that fall there, in cell order. */
export function layoutSheet(plan: StoredBatchPlan, total: number, axes: { rows: SheetDimension; columns: SheetDimension }): SheetLayout {
  const dims = batchDimensions(plan);
  const rows = axisLabels(plan, axes.rows);
  const columns = axes.columns === axes.rows ? [""] : axisLabels(plan, axes.columns);
  const squares = rows.map(() => columns.map(() => [] as number[]));
  for (let cell = 0; cell < total; cell++) {
    const at = cellCoords(dims, cell);
    const r = at[axes.rows];
    const c = axes.columns === axes.rows ? 0 : at[axes.columns];
    squares[r]![c]!.push(cell);
  }
  return { rows, columns, squares };
}
