import { afterEach, describe, expect, it, vi } from "vitest";
import { lazyModule } from "@/lib/client/lazy-module";

describe("lazyModule", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("fetches once, shares the promise, and tells subscribers when the module arrives", async () => {
    const dialog = { name: "dialog" };
    const importer = vi.fn(() => Promise.resolve(dialog));
    const lazy = lazyModule(importer);
    const listener = vi.fn();
    lazy.subscribe(listener);

    expect(lazy.get()).toBeNull();
    const first = lazy.load();
    const second = lazy.load();
    expect(first).toBe(second);
    await expect(first).resolves.toBe(dialog);

    expect(importer).toHaveBeenCalledTimes(1);
    expect(lazy.get()).toBe(dialog);
    expect(listener).toHaveBeenCalledTimes(1);
    await lazy.load();
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it("forgets a failed fetch, so the next load tries again", async () => {
    const importer = vi.fn<() => Promise<{ ok: true }>>().mockRejectedValueOnce(new Error("chunk failed")).mockResolvedValueOnce({ ok: true });
    const lazy = lazyModule(importer);

    await expect(lazy.load()).rejects.toThrow("chunk failed");
    expect(lazy.get()).toBeNull();
    await expect(lazy.load()).resolves.toEqual({ ok: true });
    expect(importer).toHaveBeenCalledTimes(2);
  });

  it("stops telling a listener once it unsubscribes", async () => {
    const lazy = lazyModule(() => Promise.resolve(1));
    const listener = vi.fn();
    const unsubscribe = lazy.subscribe(listener);
    unsubscribe();
    await lazy.load();
    expect(listener).not.toHaveBeenCalled();
  });

  it("prefetches only after the load event, once, when the browser is idle", async () => {
    const handlers: Record<string, () => void> = {};
    const idleTasks: (() => void)[] = [];
    vi.stubGlobal("document", { readyState: "loading" });
    vi.stubGlobal("window", {
      addEventListener: (event: string, handler: () => void) => void (handlers[event] = handler),
      requestIdleCallback: (task: () => void) => void idleTasks.push(task),
      setTimeout,
    });
    const importer = vi.fn(() => Promise.resolve("menu"));
    const lazy = lazyModule(importer);

    lazy.prefetchWhenIdle();
    lazy.prefetchWhenIdle();
    expect(importer).not.toHaveBeenCalled();
    expect(idleTasks).toHaveLength(0);

    handlers.load?.();
    expect(importer).not.toHaveBeenCalled();
    expect(idleTasks).toHaveLength(1);
    idleTasks[0]?.();
    expect(importer).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(lazy.get()).toBe("menu"));
  });

  it("does nothing on the server", () => {
    const importer = vi.fn(() => Promise.resolve(1));
    lazyModule(importer).prefetchWhenIdle();
    expect(importer).not.toHaveBeenCalled();
  });
});
