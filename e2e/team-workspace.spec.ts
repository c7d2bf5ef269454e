import { callServerActionDirectly, expect, signUp, test, uniqueEmail } from "./support";

test("a newcomer builds a team, invites a teammate, and a viewer is refused on the server", async ({ browser }) => {
  const owner = await browser.newPage();
  const ownerEmail = uniqueEmail("olive");
  const personal = await signUp(owner, { name: "Olive Owner", email: ownerEmail });
  await expect(owner.getByTestId("workspace-switcher").filter({ visible: true })).toContainText("Olive's studio");

  // Create a team workspace from the switcher.
  const teamName = `Lumen ${Date.now().toString(36)}`;
  await owner.getByTestId("workspace-switcher").filter({ visible: true }).click();
  await owner.getByRole("menuitem", { name: "Create a team workspace" }).click();
  await owner.getByLabel("Workspace name").fill(teamName);
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await owner.waitForURL(/\/w\/lumen-[^/]+\/settings/);
  const team = new URL(owner.url()).pathname.split("/")[2]!;
  expect(team).not.toBe(personal);

  // Invite someone as a member.
  await owner.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(owner.getByText("Open invite links")).toBeVisible();

  // The teammate signs up through the link and lands in the team workspace.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(new URL(link).pathname);
  await expect(guest.getByRole("heading", { name: teamName })).toBeVisible();
  await guest.getByRole("link", { name: "Create an account to join" }).click();
  await expect(guest.getByRole("heading", { name: `Join ${teamName}` })).toBeVisible();
  const guestEmail = uniqueEmail("gus");
  const landed = await signUp(guest, { name: "Gus Guest", email: guestEmail });
  expect(landed).toBe(team);
  await expect(guest.getByTestId("workspace-switcher").filter({ visible: true })).toContainText(teamName);

  // The link was single use.
  const third = await (await browser.newContext()).newPage();
  await third.goto(new URL(link).pathname);
  await expect(third.getByRole("heading", { name: "This invite link has already been used" })).toBeVisible();

  // The owner makes the teammate a viewer.
  await owner.reload();
  const row = owner.locator(`[data-testid=member-row][data-email="${guestEmail}"]`);
  await expect(row).toContainText("Member");
  await row.getByRole("combobox").selectOption("VIEWER");
  await expect(owner.getByText("Gus Guest is now viewer")).toBeVisible();

  // A member-level action works for the owner (so the direct call below is a real endpoint) ...
  await owner.goto(`/w/${team}/gallery`);
  await owner.getByRole("button", { name: "New board" }).click();
  await owner.getByLabel("Name").fill("Client picks");
  await owner.getByRole("button", { name: "Create board" }).click();
  await expect(owner.getByTestId("board-list")).toContainText("Client picks");

  // ... the viewer does not see the control ...
  await guest.goto(`/w/${team}/gallery`);
  await expect(guest.getByTestId("board-list")).toContainText("Client picks");
  await expect(guest.getByRole("button", { name: "New board" })).toHaveCount(0);

  // ... and calling the action directly is refused by the server, changing nothing.
  const refused = await callServerActionDirectly(guest, `/w/${team}/gallery`, "createBoardAction", [{ workspace: team, name: "Sneaky" }]);
  expect(refused.status).toBe(200);
  expect(refused.text).toContain('"code":"forbidden"');
  expect(refused.text).not.toContain('"ok":true');
  await guest.reload();
  await expect(guest.getByTestId("board-list")).not.toContainText("Sneaky");

  // The same call from the owner succeeds, proving the refusal above came from the role check.
  const allowed = await callServerActionDirectly(owner, `/w/${team}/gallery`, "createBoardAction", [{ workspace: team, name: "Owner direct" }]);
  expect(allowed.text).toContain('"ok":true');
});
