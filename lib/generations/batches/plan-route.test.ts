import { removeTestFolders } from "@/lib/generations/test-support";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { addMember, makeTeam, makeUser, viewerFor } from "@/test/factories";

// The session is the only thing faked: the route handler, the workspace, the sandbox and PostgreSQL are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (session.userId ? { userId: session.userId } : null) }));
const { POST } = await import("@/app/api/w/[workspace]/batches/plan/route");

afterAll(() => removeTestFolders());
beforeEach(() => {
  session.userId = null;
});

const plan = (prompts = ["a lighthouse at dusk", "a harbour"]) => ({
  settings: { negativePrompt: "", batchSize: 1, guidance: 7, steps: 20, sampler: "Euler a", quality: "Regular", loras: [], controlNet: null, faceLock: null, character: null },
  prompts,
  bases: [{ kind: "model", name: "JuggernautXL", baseModel: "sdxl" }],
  aspectRatios: ["1:1", "3:2"],
  seeds: { mode: "random", count: 2 },
});

async function post(slug: string, body: string, headers: Record<string, string> = {}) {
  const request = new Request(`http://atelier.test/api/w/${slug}/batches/plan`, {
    method: "POST",
    headers: { host: "atelier.test", origin: "http://atelier.test", "content-type": "application/json", ...headers },
    body,
  });
  const response = await POST(request, { params: Promise.resolve({ workspace: slug }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /api/w/<slug>/batches/plan", () => {
  it("answers the runs and the credits, priced once per model × aspect ratio", async () => {
    const user = await makeUser();
    session.userId = user.id;
    const { status, body } = await post(user.personal.slug, JSON.stringify({ plan: plan() }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ runs: 8, totalCredits: 16, unknownRuns: 0, budget: null, balance: 500, dimensions: { prompts: 2, bases: 1, aspectRatios: 2, seeds: 2 } });
  });

  it("answers another workspace, a viewer and another site like the other routes, before reading the body", async () => {
    const owner = await makeUser("Owner");
    const viewer = await makeUser("Vera Viewer");
    const team = await makeTeam(owner.id);
    await addMember(team.id, viewer.id, "VIEWER");
    const { workspaceSlug: slug } = await viewerFor(owner.id, team.id);
    session.userId = (await makeUser("Otto Outsider")).id;
    expect(await post(slug, "{not json")).toEqual({ status: 404, body: { error: "Not found." } });
    session.userId = viewer.id;
    expect((await post(slug, "{not json")).status).toBe(403);
    session.userId = owner.id;
    expect((await post(slug, "{not json", { origin: "http://elsewhere.test" })).status).toBe(403);
  });

  it("refuses a plan past its bounds with a 4xx and a sentence, never a 500", async () => {
    const user = await makeUser();
    session.userId = user.id;
    const slug = user.personal.slug;
    expect(await post(slug, "{not json")).toEqual({ status: 400, body: { error: "The request body must be JSON." } });
    const many = Array.from({ length: 200 }, (_, i) => `prompt ${i}`);
    expect(await post(slug, JSON.stringify({ plan: plan(many) }))).toMatchObject({ status: 200, body: { runs: 800 } });
    expect(await post(slug, JSON.stringify({ plan: { ...plan(many), seeds: { mode: "random", count: 3 } } }))).toEqual({
      status: 422,
      body: { error: "That is 1,200 runs; a batch holds at most 1,000." },
    });
    expect((await post(slug, JSON.stringify({ plan: plan(["a\u0000b"]) }))).status).toBe(422);
    expect((await post(slug, JSON.stringify({ plan: { ...plan(), settings: { steps: 99 } } }))).status).toBe(422);
    expect((await post(slug, JSON.stringify({ plan: plan(["x".repeat(600_000)]) }))).status).toBe(413);
    expect((await post(slug, "null")).status).toBe(422);
  });
});
