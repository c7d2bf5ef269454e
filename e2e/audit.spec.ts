import type { Page } from "@playwright/test";
import { allowConsoleError, expect, failedLoad, expectReadyImages, openTool, runCards, signIn, signOut, signUp, submitTool, test, uniqueEmail } from "./support";

const rows = (page: Page) => page.getByTestId("audit-row");
const row = (page: Page, action: string) => page.locator(`[data-testid=audit-row][data-action="${action}"]`);
const tiles = (page: Page) => page.getByTestId("gallery-grid").getByRole("listitem");

/** One image through the Image tool (the sandbox provider stands in for RenderNet). */
async function makeImage(page: Page, slug: string, prompt: string) {
  await openTool(page, slug, "Image");
  await page.getByRole("button", { name: /^Model or style/ }).click();
  const dialog = page.getByRole("dialog", { name: "Model or style" });
  await dialog.getByRole("tab", { name: /^Models/ }).click();
  await dialog.getByRole("tabpanel").getByRole("button", { name: /^RealVisXL/ }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel("Prompt", { exact: true }).fill(prompt);
  await page.getByRole("radio", { name: "1 image", exact: true }).click();
  await submitTool(page, "Generate");
  await expect(runCards(page)).toHaveCount(1);
  await expectReadyImages(runCards(page).first(), 1);
}

test("an owner reads who signed in, who failed, what changed and who was refused; a member gets a 403", async ({ browser }) => {
  const owner = await browser.newPage();
  const ownerEmail = uniqueEmail("olive");
  const personal = await signUp(owner, { name: "Olive Owner", email: ownerEmail });

  // Someone tries the owner's email with a wrong password, from another browser.
  const stranger = await (await browser.newContext()).newPage();
  await signIn(stranger, ownerEmail, "not the right password");
  await expect(stranger.getByTestId("form-error")).toHaveText(/don't match an account/);

  // The owner opens Settings → Audit log.
  await owner.getByRole("navigation", { name: "Studio", exact: true }).getByRole("link", { name: "Settings" }).click();
  await owner.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Audit log" }).click();
  await owner.waitForURL(`**/w/${personal}/settings/audit`);
  await expect(owner.getByRole("heading", { name: "Audit log" })).toBeVisible();

  const failed = row(owner, "auth.sign_in_failed");
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("Failed sign-in");
  await expect(failed).toContainText(ownerEmail);
  await expect(failed).toContainText("Wrong password");
  await expect(failed.locator("time")).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}/);
  await expect(row(owner, "auth.sign_in").first()).toContainText("Signed in");
  await expect(row(owner, "auth.sign_in").first()).toContainText(ownerEmail);

  // Filtering by action keeps only those entries, and lives in the URL (a reload shows the same view).
  await owner.getByLabel("Event").selectOption("auth.sign_in_failed");
  await expect(owner).toHaveURL(/[?&]action=auth\.sign_in_failed/);
  await expect(row(owner, "auth.sign_in")).toHaveCount(0);
  await expect(rows(owner)).toHaveCount(1);
  await owner.reload();
  await expect(owner.getByLabel("Event")).toHaveValue("auth.sign_in_failed");
  await expect(rows(owner)).toHaveCount(1);
  await owner.getByLabel("Event").selectOption("board.deleted");
  await expect(owner.getByRole("heading", { name: "No events match these filters" })).toBeVisible();
  await owner.getByRole("button", { name: "Clear filters" }).click();
  await expect(row(owner, "auth.sign_in").first()).toBeVisible();

  // A team workspace with a member who joined through an invite link.
  const teamName = `Ledger ${Date.now().toString(36)}`;
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(teamName);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/ledger-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();

  const guest = await (await browser.newContext()).newPage();
  await guest.goto(new URL(link).pathname);
  await guest.getByRole("link", { name: "Create an account to join" }).click();
  await expect(guest.getByRole("heading", { name: `Join ${teamName}` })).toBeVisible();
  const guestEmail = uniqueEmail("gus");
  expect(await signUp(guest, { name: "Gus Guest", email: guestEmail })).toBe(team);

  // The member sees no Audit log tab, and the URL, typed by hand, says they have no access (403); the list API
  // refuses too.
  await guest.goto(`/w/${team}/settings`);
  await expect(guest.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "General" })).toBeVisible();
  await expect(guest.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  allowConsoleError(failedLoad(403, `/w/${team}/settings/audit`)); // the refusal this test asks for
  const noAccess = await guest.goto(`/w/${team}/settings/audit`);
  expect(noAccess?.status()).toBe(403);
  await expect(guest.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(guest.getByTestId("audit-row")).toHaveCount(0);
  const api = await guest.request.get(`/api/w/${team}/audit`);
  expect(api.status()).toBe(403);
  expect(await api.text()).not.toContain(ownerEmail);
  // Then signs out.
  await guest.goto(`/w/${team}/gallery`);
  await signOut(guest);

  // The owner makes an image in the team and moves it to the trash.
  await makeImage(owner, team, "A quiet harbour at dawn");
  await owner.goto(`/w/${team}/gallery`);
  await expect(tiles(owner)).toHaveCount(1);
  await tiles(owner).first().getByRole("checkbox").click();
  await owner.getByRole("toolbar", { name: "Selected items" }).getByRole("button", { name: "Delete" }).click();
  await expect(tiles(owner)).toHaveCount(0);
  await expect(owner.getByText("Moved 1 item to the trash")).toBeVisible(); // the server has answered

  // The owner's team log has the invite link and the new member's sign-in.
  await owner.goto(`/w/${team}/settings/audit`);
  await expect(row(owner, "invitation.created")).toContainText("For the Member role");
  await expect(row(owner, "invitation.accepted")).toContainText("Joined as Member");
  // The run and the trash move, in words.
  await expect(row(owner, "generation.submitted")).toContainText("Run submitted");
  await expect(row(owner, "generation.submitted")).toContainText(/Image, \d+ credits? estimated/);
  await expect(row(owner, "media.trashed")).toContainText("Moved to trash");
  await expect(row(owner, "media.trashed")).toContainText("1 item");
  await expect(row(owner, "media.trashed")).toContainText(ownerEmail);
  // The member's refusals (the page, then the API within the same minute: one row) and sign-out.
  const refused = row(owner, "access.forbidden");
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText("Refused: role too low");
  await expect(refused).toContainText(guestEmail);
  await expect(refused).toContainText("The audit log page: needs Admin, they are Member");
  await expect(row(owner, "auth.signed_out").filter({ hasText: guestEmail })).toHaveCount(1);
  // "Access denied" keeps only the refusals; it lives in the URL like every filter.
  await owner.getByLabel("Event").selectOption("access");
  await expect(owner).toHaveURL(/[?&]action=access/);
  await expect(rows(owner)).toHaveCount(1);
  await expect(row(owner, "access.forbidden")).toHaveCount(1);
  await owner.getByLabel("Event").selectOption("media.trashed");
  await expect(rows(owner)).toHaveCount(1);
  await owner.getByRole("button", { name: "Clear all" }).click();
  await expect(row(owner, "auth.sign_in").filter({ hasText: guestEmail })).toHaveCount(1);
  await owner.getByLabel("Member").selectOption({ label: `Gus Guest (${guestEmail})` });
  await expect(owner).toHaveURL(/[?&]member=/);
  await expect(rows(owner).filter({ hasText: ownerEmail })).toHaveCount(0);
  await expect(row(owner, "auth.sign_in")).toHaveCount(1);
});
