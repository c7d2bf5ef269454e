import { expect, signUp, test, uniqueEmail } from "./support";

test("every page runs under a nonce-based Content-Security-Policy without a single violation", async ({ page, baseURL }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });

  const signUpResponse = await page.goto("/sign-up");
  const policy = signUpResponse?.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(signUpResponse?.headers()["x-frame-options"]).toBe("DENY");
  expect(signUpResponse?.headers()["strict-transport-security"]).toBeUndefined(); // plain http here
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  // Every script the server sends carries the nonce. (Those the page's code inserts later, such as chunks fetched
  // when first needed or prefetched when idle, carry none: 'strict-dynamic' trusts them through their loader.)
  const scriptTags = (await signUpResponse!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(` nonce="${nonce}"`);

  const slug = await signUp(page, { name: "Cleo Policy", email: uniqueEmail("cleo") });
  for (const path of ["generate/image", "generate/narrator", "gallery", "assets", "settings", "settings/providers", "settings/usage", "settings/audit"]) {
    const response = await page.goto(`/w/${slug}/${path}`);
    expect(response?.status(), path).toBe(200);
    expect(response?.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
    await page.waitForLoadState("networkidle");
  }
  // Client-side navigation (RSC requests) and the theme switch keep working.
  await page.getByRole("navigation", { name: "Studio", exact: true }).getByRole("link", { name: "Gallery" }).click();
  await page.waitForURL(`**/w/${slug}/gallery`);
  expect(violations).toEqual([]);

  // A page on another site cannot make a member's browser change anything through the workspace API.
  const forged = await page.request.post(`${baseURL}/api/w/${slug}/media/zip`, { headers: { Origin: "https://evil.test" }, form: { ids: "x" } });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toEqual({ error: "This request must come from Atelier's own pages." });
  const upload = await page.request.post(`${baseURL}/api/w/${slug}/assets`, {
    headers: { Origin: "https://evil.test" },
    multipart: { file: { name: "a.png", mimeType: "image/png", buffer: Buffer.from("x") } },
  });
  expect(upload.status()).toBe(403);
});
