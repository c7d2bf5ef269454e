/** The sandbox's pricing table (credits). Documented in docs/sandbox.md. */
import type { BaseModel } from "./catalog";

export const IMAGE_PRICE: Record<BaseModel, { Regular: number; Plus: number }> = {
  sd15: { Regular: 1, Plus: 2 },
  sdxl: { Regular: 2, Plus: 3 },
  flux: { Regular: 4, Plus: 4 },
};

export const SEGMENT_PRICE = 2;

export function trueTouchPrice(scale: number): number {
  return Math.round(scale * 2);
}

export function narratorPrice(input: { script?: string; audio: boolean }): number {
  if (input.audio) return 15;
  return 5 + Math.ceil((input.script ?? "").length / 50);
}

export function videoAnyonePrice(duration: number): number {
  return duration === 10 ? 40 : 20;
}
