import { describe, expect, it, vi } from "vitest";

const sonner = vi.hoisted(() => {
  const calls: [string, unknown, unknown][] = [];
  const toast = Object.assign((message: unknown, data?: unknown) => void calls.push(["default", message, data]), {
    success: (message: unknown, data?: unknown) => void calls.push(["success", message, data]),
    error: (message: unknown, data?: unknown) => void calls.push(["error", message, data]),
    message: (message: unknown, data?: unknown) => void calls.push(["message", message, data]),
  });
  return { calls, toast };
});
vi.mock("sonner", () => ({ toast: sonner.toast, Toaster: () => null }));

import { sonnerModule, toast } from "@/lib/client/toast";

describe("toast", () => {
  it("fetches sonner on the first toast and shows what was asked, in order, with the same kind", async () => {
    expect(sonnerModule.get()).toBeNull();
    toast.success("Image ready", { description: "Image · a fox" });
    toast("Already queued");
    expect(sonner.calls).toEqual([]);

    await vi.waitFor(() => expect(sonner.calls).toHaveLength(2));
    expect(sonner.calls).toEqual([
      ["success", "Image ready", { description: "Image · a fox" }],
      ["default", "Already queued", undefined],
    ]);

    // Once sonner is here, a toast goes straight through.
    toast.error("Run failed");
    toast.message("Run cancelled", { description: "Not charged" });
    expect(sonner.calls.slice(2)).toEqual([
      ["error", "Run failed", undefined],
      ["message", "Run cancelled", { description: "Not charged" }],
    ]);
  });
});
