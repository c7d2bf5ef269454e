import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { callServerActionDirectly, expect, expectReadyImages, openTool, runCards, signUp, submitTool, test, uniqueEmail } from "./support";

// A key nobody else uses, so finding any part of it anywhere is a leak.
const KEY = `rn_live_LEAKCHECK_${Date.now().toString(36)}_9f8e7d6c5b4a`;
const KEY_BODY = KEY.slice(0, -4);

test("A pasted provider key is used for runs but never reaches a page, an RSC payload, an action answer or a log", async ({ page }) => {
  const slug = await signUp(page, { name: "Kai Keys", email: uniqueEmail("kai") });
  const answers: string[] = [];
  page.on("response", async (response) => {
    if (response.request().method() !== "POST") return;
    answers.push(await response.text().catch(() => ""));
  });

  await page.goto(`/w/${slug}/settings/providers`);
  const card = page.getByTestId("provider-RENDERNET");
  await expect(card).toContainText("Sandbox");
  await card.getByRole("button", { name: "Use a RenderNet key" }).click();
  await card.getByLabel("API key").fill("has spaces in it");
  await card.getByRole("button", { name: "Save and test" }).click();
  await expect(card).toContainText("A key has no spaces");
  await card.getByLabel("API key").fill(KEY);
  await card.getByRole("button", { name: "Save and test" }).click();
  await expect(card).toContainText(`Key ····${KEY.slice(-4)}`);
  await expect(card.getByTestId("connection-check")).toContainText(/Connected\. Balance: [\d,]+ credits/);
  await expect(card.getByLabel("API key")).toHaveCount(0);

  // The key is the workspace's account now: a run goes through it.
  await openTool(page, slug, "Image");
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const dialog = page.getByRole("dialog", { name: "Model or style" });
  await dialog.getByRole("tab", { name: /^Models/ }).click();
  await dialog.getByRole("tabpanel").getByRole("button", { name: /^RealVisXL/ }).click();
  await page.getByLabel("Prompt", { exact: true }).fill("A brass key on velvet");
  await submitTool(page, "Generate");
  await expectReadyImages(runCards(page).first(), 1);

  // Every page a member can open, as HTML and as the RSC payload a client navigation fetches.
  const pages = [
    "generate",
    "generate/image",
    "generate/edit",
    "generate/enhance",
    "generate/narrator",
    "generate/image-to-video",
    "generate/controlnet",
    "gallery",
    "gallery?view=trash",
    "assets",
    "settings",
    "settings/providers",
    "settings/usage",
    "settings/audit",
  ].map((p) => `/w/${slug}/${p}`);
  for (const url of [...pages, "/workspaces/new"]) {
    const html = await page.request.get(url);
    expect(html.status(), url).toBeLessThan(500);
    const body = await html.text();
    expect(body, url).not.toContain(KEY_BODY);
    const rsc = await page.request.get(url, { headers: { RSC: "1" } });
    expect(await rsc.text(), `${url} (RSC)`).not.toContain(KEY_BODY);
  }
  for (const api of ["catalog", "generations", "gallery", "gallery/facets", "boards", "assets", "media"]) {
    const response = await page.request.get(`/api/w/${slug}/${api}`);
    expect(await response.text(), api).not.toContain(KEY_BODY);
  }
  await page.goto(`/w/${slug}/settings/providers`);
  expect(await page.content()).not.toContain(KEY_BODY);
  await page.getByTestId("provider-RENDERNET").getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("provider-RENDERNET").getByTestId("connection-check")).toContainText("Connected");

  expect(answers.length).toBeGreaterThan(3);
  for (const answer of answers) expect(answer).not.toContain(KEY_BODY);

  // The server's own output (debug level, see scripts/e2e-server.mjs).
  const log = path.join(process.cwd(), ".data", "e2e", "server.log");
  expect(existsSync(log)).toBe(true);
  const text = readFileSync(log, "utf8");
  expect(text.length).toBeGreaterThan(0);
  expect(text).not.toContain(KEY_BODY);

  // Removing the key goes back to the sandbox, and says so.
  const card2 = page.getByTestId("provider-RENDERNET");
  await card2.getByRole("button", { name: "Remove key" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove key" }).click();
  await expect(card2).toContainText("Sandbox");
});

test("Members see how the workspace is connected but cannot change it", async ({ browser }) => {
  const owner = await browser.newPage();
  await signUp(owner, { name: "Ola Owner", email: uniqueEmail("ola") });
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(`Keys ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/keys-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();

  const member = await (await browser.newContext()).newPage();
  await member.goto(new URL(link).pathname);
  await member.getByRole("link", { name: "Create an account to join" }).click();
  await expect(member.getByRole("heading", { name: /^Join Keys/ })).toBeVisible();
  await signUp(member, { name: "Mo Member", email: uniqueEmail("mo") });
  await member.goto(`/w/${team}/settings/providers`);
  await expect(member.getByTestId("provider-RENDERNET")).toContainText("Sandbox");
  await expect(member.getByRole("button", { name: /Use a RenderNet key|Test connection/ })).toHaveCount(0);
});

test("A Qolaba base URL must be a public https address: the form says exactly what it accepts, and the server refuses a hand-made request too", async ({ page }) => {
  const slug = await signUp(page, { name: "Sam SSRF", email: uniqueEmail("sam") });
  await page.goto(`/w/${slug}/settings/providers`);
  const card = page.getByTestId("provider-QOLABA");
  await card.getByRole("button", { name: "Use a Qolaba key" }).click();
  await expect(card).toContainText("Use the https:// address Qolaba gave you: a host name (or public IP address)");
  await card.getByLabel("API token").fill("qolaba-token-abcdef123456");
  const baseUrl = card.getByLabel("Base URL");

  for (const [value, message] of [
    ["http://169.254.169.254/latest/meta-data", "Only https:// addresses are accepted."],
    ["https://0x7f.1:3110", "127.0.0.1 is not a public internet address"],
    ["https://[::ffff:127.0.0.1]", "[::ffff:7f00:1] is not a public internet address"],
    ["https://user:secret@qolaba.example.com", "Leave out the user name and password."],
    ["https://localhost:3110", "Use the full host name"],
  ] as const) {
    await baseUrl.fill(value);
    await card.getByRole("button", { name: "Save and test" }).click();
    await expect(card).toContainText(message);
  }
  await card.getByRole("button", { name: "Cancel" }).click();
  await expect(card).toContainText("Sandbox");

  // The action parses the same rule on the server, whatever the browser sends.
  for (const value of ["https://2130706433:3110", "https://10.0.0.1", "https://127.1"]) {
    const answer = await callServerActionDirectly(page, `/w/${slug}/settings/providers`, "saveProviderKeyAction", [
      { workspace: slug, provider: "QOLABA", key: "qolaba-token-abcdef123456", baseUrl: value },
    ]);
    expect(answer.status, value).toBeLessThan(500);
    expect(answer.text, value).toContain("is not a public internet address");
  }
  await page.reload();
  await expect(page.getByTestId("provider-QOLABA")).toContainText("Sandbox");
});
