import { removeTestFolders, sandboxHooks } from "@/lib/generations/test-support";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { makePng } from "@/sandbox/test-support";
import { createAsset } from "@/lib/generations/assets";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

// The session is the only thing faked: the route handler, the workspace, its rows, the sandbox and PostgreSQL are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));
const { POST } = await import("@/app/api/w/[workspace]/generations/estimate/route");

afterAll(() => removeTestFolders());
beforeEach(() => {
  session.userId = null;
});

const run = (prompt = "a lighthouse at dusk") => ({
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt,
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize: 1,
    seed: 3,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
});

/** POSTs a body as the browser's fetch does from Atelier's own page (same origin), unless told otherwise. */
async function estimate(slug: string, body: string, headers: Record<string, string> = {}) {
  const request = new Request(`http://atelier.test/api/w/${slug}/generations/estimate`, {
    method: "POST",
    headers: { host: "atelier.test", origin: "http://atelier.test", "content-type": "application/json", ...headers },
    body,
  });
  const response = await POST(request, { params: Promise.resolve({ workspace: slug }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /api/w/<slug>/generations/estimate", () => {
  it("prices a member's run with the provider's figures (no budget: none to warn about)", async () => {
    const user = await makeUser();
    session.userId = user.id;
    expect(await estimate(user.personal.slug, JSON.stringify({ run: run() }))).toEqual({ status: 200, body: { credits: 2, balance: 500, shortBy: null, budget: null } });
  });

  it("answers another workspace, a viewer and another site like the other routes, before reading the body", async () => {
    const owner = await makeUser("Owner");
    const viewer = await makeUser("Vera Viewer");
    const team = await makeTeam(owner.id);
    await addMember(team.id, viewer.id, "VIEWER");
    const { slug } = await viewerFor(owner.id, team.id).then((v) => ({ slug: v.workspaceSlug }));
    const outsider = await makeUser("Otto Outsider");
    // A body that is not even JSON: each refusal comes before it would be read.
    session.userId = outsider.id;
    expect(await estimate(slug, "{not json")).toEqual({ status: 404, body: { error: "Not found." } });
    session.userId = viewer.id;
    expect((await estimate(slug, "{not json")).status).toBe(403);
    session.userId = owner.id;
    expect((await estimate(slug, "{not json", { origin: "http://elsewhere.test" })).status).toBe(403);
    session.userId = null;
    expect((await estimate(slug, "{not json")).status).toBe(404);
  });

  it("refuses bad bodies with a 4xx and a sentence, never a 500", async () => {
    const user = await makeUser();
    session.userId = user.id;
    const slug = user.personal.slug;
    expect(await estimate(slug, "{not json")).toEqual({ status: 400, body: { error: "The request body must be JSON." } });
    expect((await estimate(slug, JSON.stringify({ run: run("a\u0000b") }))).status).toBe(422);
    expect((await estimate(slug, JSON.stringify({ run: { tool: "IMAGE", params: {} } }))).status).toBe(422);
    expect((await estimate(slug, JSON.stringify([run()]))).status).toBe(422);
    expect((await estimate(slug, JSON.stringify({ run: run("x".repeat(70_000)) }))).status).toBe(413);
    expect((await estimate(slug, "null")).status).toBe(422);
  });

  it("treats another workspace's input as not found, without pricing or uploading it", async () => {
    const alice = await makeUser("Alice");
    const bob = await makeUser("Bob");
    const aliceViewer = await viewerFor(alice.id, alice.personal.id);
    const asset = await createAsset(aliceViewer, new File([new Uint8Array(await makePng(64, 64))], "mine.png", { type: "image/png" }));
    session.userId = bob.id;
    const edit = { tool: "EDIT", params: { image: { kind: "asset", id: asset.id }, find: "a", replace: "b" } };
    expect(await estimate(bob.personal.slug, JSON.stringify({ run: edit }))).toEqual({ status: 404, body: { error: expect.stringMatching(/^That file/) } });
    expect(await sandboxHooks.calls(bob.personal.id)).toEqual([]);
  });
});
