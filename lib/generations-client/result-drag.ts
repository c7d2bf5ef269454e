import type { DragEvent } from "react";
import type { InputValue } from "@/lib/generations-client/input-value";
import { TOOLS } from "@/lib/generations/tool-ids";
import type { ToolId } from "@/lib/validation/generations";

/** A finished result, as the runs panel, its viewer and the gallery know it. */
export type ResultMedia = {
  id: string;
  kind: "IMAGE" | "VIDEO" | "AUDIO";
  /** The run that made it (Vary runs it again). */
  generationId: string;
  tool: ToolId;
  prompt?: string | null;
  thumbUrl: string | null;
  originalUrl: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
};

/** What a dragged result carries (an input picker takes it as the gallery picker's choice would be). */
export const RESULT_DRAG_TYPE = "application/x-atelier-result";

/** Makes a result draggable onto a tool's input (InputPicker reads RESULT_DRAG_TYPE). */
export function resultDragProps(media: ResultMedia) {
  return {
    draggable: true,
    onDragStart: (event: DragEvent) => {
      const value: InputValue = {
        ref: { kind: "media", id: media.id },
        preview: {
          kind: media.kind,
          name: media.prompt ?? null,
          tool: media.tool,
          thumbUrl: media.thumbUrl,
          originalUrl: media.originalUrl,
          width: media.width,
          height: media.height,
          durationMs: media.durationMs,
          frameRate: null,
        },
      };
      event.dataTransfer.setData(RESULT_DRAG_TYPE, JSON.stringify(value));
      event.dataTransfer.effectAllowed = "copy";
    },
  };
}

/**
 * A dropped result, if the drop carries one of the given kind: parsed defensively (any page can put any text under
 * any type), so only a well-formed id and the preview's plain fields get through; the server resolves the id in the
 * workspace when the run is submitted (another workspace's id is "not found").
 */
export function droppedResult(data: DataTransfer, kind: ResultMedia["kind"]): InputValue | null {
  const raw = data.getData(RESULT_DRAG_TYPE);
  if (!raw || raw.length > 10_000) return null;
  try {
    const value = JSON.parse(raw) as InputValue;
    const id = value?.ref?.kind === "media" ? value.ref.id : null;
    if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || value.preview?.kind !== kind) return null;
    const p = value.preview;
    const url = (u: unknown) => (typeof u === "string" && u.startsWith("/api/w/") ? u : null);
    const num = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : null);
    return {
      ref: { kind: "media", id },
      preview: {
        kind,
        name: typeof p.name === "string" ? p.name.slice(0, 2000) : null,
        tool: typeof p.tool === "string" && (TOOLS as readonly string[]).includes(p.tool) ? (p.tool as ToolId) : undefined,
        thumbUrl: url(p.thumbUrl),
        originalUrl: url(p.originalUrl),
        width: num(p.width),
        height: num(p.height),
        durationMs: num(p.durationMs),
        frameRate: null,
      },
    };
  } catch {
    return null;
  }
}

