import { randomUUID } from "node:crypto";
import { callServerActionDirectly, expect, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

// A run the sandbox refuses at once ("[sandbox:fail]"): recorded and counted like any run, with nothing to render.
const run = {
  tool: "IMAGE",
  params: {
    base: { kind: "model", name: "JuggernautXL" },
    prompt: "A paper boat on a puddle [sandbox:fail]",
    negativePrompt: "",
    aspectRatio: "1:1",
    batchSize: 1,
    seed: 7,
    loras: [],
    controlNet: null,
    faceLock: null,
    character: null,
  },
};

test("Starting runs faster than fair use allows: Generate says when to try again, and the audit log shows it", async ({ page }) => {
  const slug = await signUp(page, { name: "Flo Flood", email: uniqueEmail("flo") });
  await openTool(page, slug, "Image");
  await page.getByLabel("Prompt", { exact: true }).fill("A paper boat on a puddle");

  // A script fires the member's whole 10-second allowance (8 runs) straight at the action...
  const answers = await Promise.all(
    Array.from({ length: 8 }, () =>
      callServerActionDirectly(page, `/w/${slug}/generate/image`, "submitGenerationAction", [{ workspace: slug, idempotencyKey: randomUUID(), boardId: null, run }]),
    ),
  );
  for (const answer of answers) expect(answer.text).toContain('"ok":true');

  // ...so the next Generate is refused with when to try again, and no ninth run appears.
  await submitTool(page, "Generate");
  await expect(page.getByTestId("form-error")).toHaveText(/^You've started 8 runs in the last 10 seconds\. Try again in ([1-9]|10) seconds?\.$/);
  await page.screenshot({ path: test.info().outputPath("refused.png") });
  await page.reload(); // the script's runs were not started from this page
  await expect(runCards(page)).toHaveCount(8);

  // A ninth straight to the action is refused the same way, with its code.
  const ninth = await callServerActionDirectly(page, `/w/${slug}/generate/image`, "submitGenerationAction", [
    { workspace: slug, idempotencyKey: randomUUID(), boardId: null, run },
  ]);
  expect(ninth.text).toContain('"code":"rate_limited"');

  // The owner finds it in the audit log: once, however many refusals.
  await page.goto(`/w/${slug}/settings/audit`);
  const entries = page.locator('[data-testid=audit-row][data-action="generation.rate_limited"]');
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText("Run limit reached");
  await expect(entries).toContainText("8 runs in 10 seconds by one member");
});
