import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ActionResult } from "@/lib/result";
import { generationRequest, submitGenerationSchema } from "@/lib/validation/generations";
import { coversPath, fieldErrorsOf, firstMessages, invalidInputResult, issueMessages, pathKey, valueAtPath } from "@/lib/validation/field-errors";

const RUN_SCOPES = ["run.params", "params"];

describe("fieldErrorsOf", () => {
  it("keeps nested paths whole, with array indices, instead of folding them into the top-level key", () => {
    const schema = z.object({
      run: z.object({ params: z.object({ prompt: z.string().min(1, "Describe the image.") }) }),
      loras: z.array(z.object({ weight: z.number().max(2, "At most 2.") })),
    });
    const parsed = schema.safeParse({ run: { params: { prompt: "" } }, loras: [{ weight: 1 }, { weight: 3 }] });
    expect(fieldErrorsOf(parsed.error!)).toEqual({ "run.params.prompt": ["Describe the image."], "loras.1.weight": ["At most 2."] });
  });

  it("leaves an issue about the whole input out of the fields, and lists a field's distinct messages once each", () => {
    const schema = z
      .object({ password: z.string().min(10, "Use at least 10 characters.").regex(/\d/, "Add a digit."), confirm: z.string() })
      .refine((v) => v.password === v.confirm, "The passwords differ.");
    const parsed = schema.safeParse({ password: "short", confirm: "other" });
    // zod stops before the object refinement when a field fails; a valid field set reaches it.
    expect(fieldErrorsOf(parsed.error!)).toEqual({ password: ["Use at least 10 characters.", "Add a digit."] });
    const root = schema.safeParse({ password: "long enough 1", confirm: "other" });
    expect(root.error!.issues[0]!.path).toEqual([]);
    expect(fieldErrorsOf(root.error!)).toEqual({});
    expect(fieldErrorsOf(root.error!.issues)).toEqual({});
  });

  it("names paths with dots", () => {
    expect(pathKey(["run", "params", "loras", 0, "weight"])).toBe("run.params.loras.0.weight");
    expect(pathKey([])).toBe("");
  });
});

describe("invalidInputResult: the action's refusal", () => {
  it("carries the first message as its sentence and every field's messages; a root issue gives the sentence only", () => {
    const schema = z.object({ name: z.string().min(1, "Name the board.") }).refine(() => false, "Never valid.");
    const fieldResult = invalidInputResult(schema.safeParse({ name: "" }).error!);
    expect(fieldResult).toEqual({ ok: false, code: "invalid_input", error: "Name the board.", fieldErrors: { name: ["Name the board."] } });
    const rootResult = invalidInputResult(schema.safeParse({ name: "Mood" }).error!);
    expect(rootResult).toEqual({ ok: false, code: "invalid_input", error: "Never valid.", fieldErrors: {} });
    expect(invalidInputResult([])).toMatchObject({ error: "Check the highlighted fields." });
  });

  it("round trip: the submit action's refusal of a run's prompt reaches the tool form's `prompt` field", () => {
    const input = {
      workspace: "studio",
      idempotencyKey: "6f1c1b1e-8a52-4d7c-9c55-1f2f3b4c5d6e",
      run: { tool: "IMAGE", params: { prompt: "   " } },
    };
    const parsed = submitGenerationSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    // What the wrapper returns, as it travels to the browser (a server action's answer is serialized).
    const result = JSON.parse(JSON.stringify(invalidInputResult(parsed.error!))) as ActionResult<never>;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors?.["run.params.prompt"]).toEqual(["Describe the image."]);
    expect(firstMessages(result.fieldErrors, RUN_SCOPES)).toMatchObject({ prompt: "Describe the image." });
  });
});

describe("firstMessages: what a form shows", () => {
  it("re-roots the run's fields under a tool form's names, from the action's and from the service's parse", () => {
    const fromService = generationRequest.safeParse({ tool: "IMAGE", params: { prompt: "" } });
    expect(fieldErrorsOf(fromService.error!)).toHaveProperty(["params.prompt"]);
    expect(
      firstMessages(
        { "run.params.prompt": ["Too long.", "Second."], run: ["Invalid run."], "params.image": ["Not found."], "run.params.loras.0.weight": ["At most 2."], seed: [], boardId: ["No such board."] },
        RUN_SCOPES,
      ),
    ).toEqual({ prompt: "Too long.", image: "Not found.", "loras.0.weight": "At most 2.", boardId: "No such board." });
  });

  it("keeps flat forms' keys as they are and skips empty lists", () => {
    expect(firstMessages({ email: ["Enter a valid email."], name: undefined, password: [] })).toEqual({ email: "Enter a valid email." });
    expect(firstMessages(undefined)).toEqual({});
  });

  it("issueMessages gives a form's own check the same names", () => {
    const parsed = generationRequest.safeParse({ tool: "IMAGE", params: { prompt: "" } });
    expect(issueMessages(parsed.error!.issues)).toMatchObject({ "params.prompt": "Describe the image." });
  });
});

describe("lookups", () => {
  it("coversPath: a touched group covers its fields, not the reverse, and never a longer name", () => {
    expect(coversPath(new Set(["controlNet"]), "controlNet.image")).toBe(true);
    expect(coversPath(new Set(["controlNet.image"]), "controlNet")).toBe(false);
    expect(coversPath(new Set(["prompt"]), "promptExtra")).toBe(false);
    expect(coversPath(new Set(["loras"]), "loras.0.weight")).toBe(true);
  });

  it("valueAtPath reads nested values and array items, undefined past a leaf", () => {
    const values = { prompt: "boat", loras: [{ weight: 1.5 }], controlNet: null };
    expect(valueAtPath(values, "prompt")).toBe("boat");
    expect(valueAtPath(values, "loras.0.weight")).toBe(1.5);
    expect(valueAtPath(values, "controlNet.image")).toBeUndefined();
    expect(valueAtPath(values, "prompt.length")).toBeUndefined();
  });
});
