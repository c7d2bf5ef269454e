import { callServerActionDirectly, expect, expectNotFoundPage, signUp, test, uniqueEmail } from "./support";

test("a non-member gets a 404 on every URL of another workspace", async ({ browser }) => {
  const alice = await (await browser.newContext()).newPage();
  const aliceSlug = await signUp(alice, { name: "Alice Private", email: uniqueEmail("alice") });

  const mallory = await (await browser.newContext()).newPage();
  const mallorySlug = await signUp(mallory, { name: "Mallory Curious", email: uniqueEmail("mallory") });
  expect(mallorySlug).not.toBe(aliceSlug);

  for (const path of ["", "/generate", "/gallery", "/assets", "/settings"]) {
    await expectNotFoundPage(mallory, `/w/${aliceSlug}${path}`);
  }
  // A workspace that does not exist looks exactly the same.
  await expectNotFoundPage(mallory, `/w/no-such-workspace-${Date.now()}/gallery`);

  // Actions aimed at Alice's workspace answer "not found" too, and change nothing.
  const result = await callServerActionDirectly(mallory, `/w/${mallorySlug}/gallery`, "createBoardAction", [
    { workspace: aliceSlug, name: "Intrusion" },
  ]);
  expect(result.text).toContain('"code":"not_found"');
  await alice.goto(`/w/${aliceSlug}/gallery`);
  await expect(alice.getByText("Intrusion")).toHaveCount(0);
  // Alice herself still has full access.
  await expect(alice.getByRole("heading", { name: "Gallery" })).toBeVisible();
});
