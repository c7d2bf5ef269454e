import { describe, expect, it } from "vitest";
import { droppedResult, RESULT_DRAG_TYPE } from "@/lib/generations-client/result-drag";

/** What a drop hands over: only getData is read. */
const drop = (data: Record<string, string>) => ({ getData: (type: string) => data[type] ?? "" }) as unknown as DataTransfer;

const dragged = {
  ref: { kind: "media", id: "cm123abc" },
  preview: { kind: "IMAGE", name: "A teapot", tool: "IMAGE", thumbUrl: "/api/w/s/media/cm123abc/thumb", originalUrl: "/api/w/s/media/cm123abc/original", width: 1024, height: 1024, durationMs: null, frameRate: null },
};

describe("droppedResult", () => {
  it("takes a result of the picker's kind as a gallery choice", () => {
    expect(droppedResult(drop({ [RESULT_DRAG_TYPE]: JSON.stringify(dragged) }), "IMAGE")).toEqual({ ref: { kind: "media", id: "cm123abc" }, preview: dragged.preview });
  });

  it("refuses another kind, another shape, or nothing", () => {
    expect(droppedResult(drop({ [RESULT_DRAG_TYPE]: JSON.stringify(dragged) }), "VIDEO")).toBeNull();
    expect(droppedResult(drop({ [RESULT_DRAG_TYPE]: JSON.stringify({ ...dragged, ref: { kind: "asset", id: "a1" } }) }), "IMAGE")).toBeNull();
    expect(droppedResult(drop({ [RESULT_DRAG_TYPE]: JSON.stringify({ ...dragged, ref: { kind: "media", id: "../../x" } }) }), "IMAGE")).toBeNull();
    expect(droppedResult(drop({ [RESULT_DRAG_TYPE]: "{not json" }), "IMAGE")).toBeNull();
    expect(droppedResult(drop({ [RESULT_DRAG_TYPE]: "x".repeat(10_001) }), "IMAGE")).toBeNull();
    expect(droppedResult(drop({ "text/plain": JSON.stringify(dragged) }), "IMAGE")).toBeNull();
  });

  it("keeps only plain, same-site preview fields from what another page may have put there", () => {
    const hostile = {
      ref: { kind: "media", id: "cm123abc" },
      preview: { kind: "IMAGE", name: 42, tool: "__proto__", thumbUrl: "javascript:alert(1)", originalUrl: "https://evil.example/x.png", width: "9e9", height: Infinity, durationMs: null },
    };
    expect(droppedResult(drop({ [RESULT_DRAG_TYPE]: JSON.stringify(hostile) }), "IMAGE")).toEqual({
      ref: { kind: "media", id: "cm123abc" },
      preview: { kind: "IMAGE", name: null, tool: undefined, thumbUrl: null, originalUrl: null, width: null, height: null, durationMs: null, frameRate: null },
    });
  });
});
